extension ServiceTypeSchema {
  static let udp = ServiceTypeSchema(
    .udp, sslCapable: false,
    summary: "the host accepts UDP on the port (no ICMP port unreachable)",
    keys: [KeySpec("port", .port, required: true, "UDP port to probe")])
}
