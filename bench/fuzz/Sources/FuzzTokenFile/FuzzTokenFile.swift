import FuzzDriver
import MonitoringChecks

/// libFuzzer entry point: parse any bytes as a mail-flow token file. Whatever parses must be
/// tokens in the format with times that cannot overflow an age, and must write back to the
/// same bytes; whatever does not parse must fail with a message (never trap).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let tokens = try? MailflowStore.parse(bytes, path: "fuzz.tokens") else { return 0 }
  let now = MailflowStore.unixTime()
  for token in tokens {
    precondition(MailflowStore.isToken(Array(token.token.utf8)), "not a token")
    precondition((0...9_999_999_999).contains(token.time), "time out of range")
    precondition(token.age(at: now) >= 0, "negative age")
  }
  let written = tokens.map { "\($0.token) \($0.time)\n" }.joined()
  precondition(Array(written.utf8).count <= bytes.count, "round trip grew")
  precondition((try? MailflowStore.parse(Array(written.utf8), path: "again")) == tokens, "round trip differs")
  return 0
}

@_cdecl("FuzzTokenFile_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzTokenFile)
}
