import MonitoringInfo
import Testing

/// The one JSON reader and writer: strict on input from other hosts, deterministic on output.
@Suite struct JSONTests {
  func parse(_ text: String) throws(JSONError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

  @Test func roundTripsEveryKind() throws {
    let text = #"{"a":[1,-0.5,2e10,true,false,null],"b":{"c":"x\"\\\n\u0001é😀"},"d":""}"#
    let value = try parse(text)
    #expect(try parse(value.serialized) == value)
    #expect(value["b"]?["c"]?.stringValue == "x\"\\\n\u{1}é😀")
    #expect(value.serialized == #"{"a":[1,-0.5,2e10,true,false,null],"b":{"c":"x\"\\\n\u0001é😀"},"d":""}"#)
  }

  @Test func sortsObjectKeysSoEqualValuesGiveEqualBytes() throws {
    #expect(try parse(#"{"b":1,"a":2,"B":3}"#).serialized == #"{"B":3,"a":2,"b":1}"#)
  }

  @Test(arguments: [
    (#"{"a":1,"a":2}"#, "duplicate key 'a'"),
    (#"{"a":1,"b":{"x":1,"x":1}}"#, "duplicate key 'x'"),
    ("[01]", "expected ',' or ']'"), ("[1.]", "invalid number"), ("[-]", "invalid number"),
    ("[1e]", "invalid number"), ("[+1]", "unexpected character"), ("[.5]", "unexpected character"),
    ("[1-2]", "expected ',' or ']'"), (#"["\ud800"]"#, "lone surrogate"), (#"["\udc00"]"#, "lone surrogate"),
    ("[\"a\u{1}\"]", "control character in string"), ("{\"a\":1} x", "trailing characters"),
    ("", "unexpected end"), ("{", "expected a key"), ("[1,", "unexpected end"), (#"["\x"]"#, "invalid escape"),
  ])
  func refuses(_ text: String, _ reason: String) {
    #expect(throws: JSONError.self) { try parse(text) }
    do { _ = try parse(text) } catch { #expect(error.reason == reason, "\(text)") }
  }

  @Test func refusesInvalidUTF8InStrings() {
    for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22]] {
      #expect(throws: JSONError.self) { try JSONValue.parse(bytes) }
    }
  }

  @Test func boundsNestingWithoutRecursingDeep() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    do { _ = try parse(deep); Issue.record("accepted 100,000 levels") } catch { #expect(error.reason == "nested too deeply") }
    let ok = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
    #expect(throws: Never.self) { try parse(ok) }
  }

  @Test func keepsHugeNumbersAsText() throws {
    let huge = "1" + String(repeating: "0", count: 400) + "e999999999999"
    let value = try parse("[\(huge),-9223372036854775809]")
    #expect(value.arrayValue?[0] == .number(huge))
    #expect(value.arrayValue?[0].intValue == nil)
    #expect(value.arrayValue?[1].intValue == nil, "below Int.min must not become an Int")
    #expect(try parse("[9223372036854775807]").arrayValue?[0].intValue == Int.max)
  }

  @Test func quotesControlCharactersAndLineSeparators() {
    #expect(JSONValue.quoted("a\u{0}b\u{7F}\u{2028}") == #""a\u0000b\u007f\u2028""#)
  }

  /// Random bytes and mutations of a real payload: never a crash, and whatever parses
  /// serializes to text that parses to the same value.
  @Test func survivesRandomAndMutatedInput() {
    var generator = RobustnessTests.Generator(state: 0x9E37_79B9_7F4A_7C15)
    let seed = Array(RegistrationPayload(host: "b.example.org", services: [
      RegisteredService(name: "web", type: "http", source: "apache2.conf", params: ["port": "80", "uri": "/"]),
    ]).serialized.utf8)
    let alphabet = Array(#"{}[]:,"\-+.eE0123456789tfnrulase \u"#.utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xED, 0xA0]
    for round in 0..<20_000 {
      var bytes = round % 2 == 0 ? seed : []
      let edits = Int.random(in: 1...8, using: &generator)
      for _ in 0..<edits {
        let byte = alphabet.randomElement(using: &generator)!
        if bytes.isEmpty || Bool.random(using: &generator) {
          bytes.insert(byte, at: Int.random(in: 0...bytes.count, using: &generator))
        } else {
          bytes[Int.random(in: 0..<bytes.count, using: &generator)] = byte
        }
      }
      if let value = try? JSONValue.parse(bytes) {
        #expect((try? JSONValue.parse(Array(value.serialized.utf8))) == value)
      }
    }
  }
}

@Suite struct ProtocolMessageTests {
  let payload = RegistrationPayload(host: "b.example.org", services: [
    RegisteredService(name: "apache2", type: "http", source: "apache2.conf", params: ["port": "80", "uri": "/"]),
    RegisteredService(name: "mx", type: "smtp", source: "exim4.conf", params: [:]),
  ])

  @Test func payloadRoundTrips() throws {
    let text = payload.serialized
    #expect(text.hasPrefix(#"{"host":"b.example.org","services":[{"name":"apache2","params":{"port":"80","uri":"/"}"#))
    #expect(try RegistrationPayload.parse(Array(text.utf8)) == payload)
  }

  @Test func payloadAcceptsScalarParametersAsText() throws {
    let text = #"{"version":1,"host":"h","services":[{"name":"w","type":"http","params":{"port":80,"ssl":true}}]}"#
    let parsed = try RegistrationPayload.parse(Array(text.utf8))
    #expect(parsed.services[0].params == ["port": "80", "ssl": "true"])
    #expect(parsed.services[0].source == "")
  }

  @Test(arguments: [
    (#"{"version":2,"host":"h","services":[]}"#, "unsupported protocol version"),
    (#"{"version":"1","host":"h","services":[]}"#, "unsupported protocol version"),
    (#"[1]"#, "not a JSON object"),
    (#"{"version":1,"services":[]}"#, "no \"host\" string"),
    (#"{"version":1,"host":"h","services":{}}"#, "no \"services\" array"),
    (#"{"version":1,"host":"h","services":[{"name":"a"}]}"#, "service 1 has no"),
    (#"{"version":1,"host":"h","services":[{"name":"a","type":"tcp","params":[]}]}"#, "is not an object"),
    (#"{"version":1,"host":"h","services":[{"name":"a","type":"tcp","params":{"port":{}}}]}"#, "is not a string"),
    (#"{"version":1,"host":"h","host":"i","services":[]}"#, "duplicate key 'host'"),
  ])
  func payloadRefuses(_ text: String, _ reason: String) {
    do {
      _ = try RegistrationPayload.parse(Array(text.utf8))
      Issue.record("accepted \(text)")
    } catch { #expect(error.description.contains(reason), "\(error)") }
  }

  @Test func payloadRefusesMoreThanOneMebibyte() {
    let bytes = [UInt8](repeating: 0x20, count: RegistrationPayload.maximumSize + 1)
    #expect(throws: ProtocolError.self) { try RegistrationPayload.parse(bytes) }
  }

  @Test func replyRoundTrips() throws {
    let reply = RegistrationReply(
      host: "b.example.org", result: .stored, accepted: ["apache2"],
      rejected: [.init(name: "x", tag: "monitoring-info-unknown-key", message: "unknown key 'url'")], message: "1 service stored")
    #expect(reply.serialized.hasSuffix("}\n"))
    #expect(try RegistrationReply.parse(Array(reply.serialized.utf8)) == reply)
    #expect(RegistrationReply.Result.refused.exitStatus == 2 && RegistrationReply.Result.pending.exitStatus == 0)
  }

  @Test func enrollmentRoundTripsAndRefusesOversize() throws {
    for request in [EnrollmentRequest(host: "b.example.org"), EnrollmentRequest(host: "b", ticket: "abc")] {
      #expect(try EnrollmentRequest.parse(Array(request.serialized.utf8)) == request)
    }
    #expect(throws: ProtocolError.self) {
      try EnrollmentRequest.parse(Array(#"{"version":1,"host":"h","ticket":5}"#.utf8))
    }
    #expect(throws: ProtocolError.self) {
      try EnrollmentRequest.parse([UInt8](repeating: 0x20, count: EnrollmentRequest.maximumSize + 1))
    }
  }

  @Test(arguments: [
    ("b.example.org", true), ("localhost", true), ("b.example.org.", false), ("../x", false), ("b_x", false),
    ("-b", false), ("", false), ("b\nc", false), (String(repeating: "a", count: 64), false),
  ])
  func hostNames(_ name: String, _ valid: Bool) { #expect(HostName.isValid(name) == valid) }
}
