import FuzzDriver
import MonitoringChecks

/// libFuzzer entry point: read any bytes as a stored registration the way the plugin does
/// (`--registration FILE --service NAME`), resolve every service, and render the outcome as
/// the status line. Traps when that line could be forged: a control character, a line break
/// or a '|' in it, or the registration's password printed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let registration: Registration
  do { registration = try Registration.parse(bytes, path: "fuzz.json") } catch {
    check(CheckResult(error.status, error.message), secrets: [])
    return 0
  }
  for service in registration.services.prefix(20) {
    var invocation = Plugin.Invocation()
    let message: String
    do {
      let spec = try registration.spec(service: service.name, address: nil, invocation: &invocation)
      message = "\(spec.type) \(spec.host) \(spec.values.sorted { $0.key < $1.key })"
    } catch {
      message = error.message
    }
    check(CheckResult(.unknown, message), secrets: invocation.secrets, label: invocation.label)
  }
  return 0
}

func check(_ result: CheckResult, secrets: [String], label: String = "MONITORING-INFO") {
  let line = result.rendered(label: label, secrets: secrets)
  precondition(!line.utf8.contains { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "|") }, "forgeable status line")
  // The message after "LABEL STATE - " (the label itself may share letters with a short
  // password); a password with '*' in it can be re-formed around the mask, harmlessly.
  let message = line.firstRange(of: " - ").map { String(line[$0.upperBound...]) } ?? line
  for secret in secrets where !secret.isEmpty && !secret.contains("*") {
    precondition(!message.contains(secret), "password in the status line")
  }
}

@_cdecl("FuzzRegistration_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzRegistration)
}
