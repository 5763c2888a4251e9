import FuzzDriver
import MonitoringInfo

/// libFuzzer entry point for the one JSON reader and the protocol messages built on it: any
/// bytes either fail to parse or parse to a value whose serialization parses back to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let value = try? JSONValue.parse(bytes) {
    let again = try? JSONValue.parse(Array(value.serialized.utf8))
    precondition(again == value, "serialization does not parse back to the same value")
  }
  if let payload = try? RegistrationPayload.parse(bytes) {
    precondition((try? RegistrationPayload.parse(Array(payload.serialized.utf8))) == payload)
  }
  if let reply = try? RegistrationReply.parse(bytes) {
    precondition((try? RegistrationReply.parse(Array(reply.serialized.utf8))) == reply)
  }
  _ = try? EnrollmentRequest.parse(bytes)
  return 0
}

@_cdecl("FuzzJSON_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzJSON)
}
