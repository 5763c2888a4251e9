import MonitoringInfo

extension Receiver {
  /// Every receiver slot is taken (ReceiverSlots): nothing was read or stored; the client
  /// comes back after `retry_after` seconds and a random share more (docs/protocol.md, "Busy").
  func busy(_ host: String) -> (RegistrationReply, Int32) {
    let seconds = settings.busyRetryAfter
    return (RegistrationReply(host: host, result: .busy,
      message: "server busy: \(settings.maximumReceivers) registrations are being stored; retry after \(seconds) s",
      retryAfter: seconds), RegistrationReply.Result.busy.exitStatus)
  }
}
