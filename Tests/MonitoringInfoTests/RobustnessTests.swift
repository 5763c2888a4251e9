import MonitoringInfo
import Testing

/// Thousands of random and mutated inputs: the parser and validator must not crash, must finish
/// quickly, and every diagnostic must point inside the file.
@Suite struct RobustnessTests {
  /// Deterministic, so a failure reproduces (xorshift64*).
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state ^= state >> 12
      state ^= state << 25
      state ^= state >> 27
      return state &* 2_685_821_657_736_338_717
    }
  }

  static let seeds: [[UInt8]] = Rule.all.flatMap { $0.triggering + $0.nonTriggering }
    .map { RuleExample($0).files.flatMap(\.source.bytes) }

  static let alphabet: [UInt8] = Array("[]=#; \t\r\n\"'abcdeptyshl0123456789._-/:@".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x80, 0xFF, 0xC0]

  func checkInvariants(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let file = SourceFile(path: "fuzz.conf", bytes: bytes)
    let report = FragmentValidator(hostName: "h.example").validate(file)
    let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    for diagnostic in report.diagnostics {
      let inside = diagnostic.line == 0 ? diagnostic.column == 0 : (1...lines).contains(diagnostic.line) && diagnostic.column >= 1
      #expect(inside, "\(diagnostic.gnuDescription) outside a \(lines)-line file", sourceLocation: sourceLocation)
      if let range = diagnostic.range {
        #expect(range.start >= 0 && range.end <= bytes.count, sourceLocation: sourceLocation)
      }
    }
    // Every rendering must cope with whatever the file held.
    for format in OutputFormat.allCases {
      let output = format.render(report.diagnostics, files: [file])
      #expect(report.diagnostics.isEmpty || !output.isEmpty, sourceLocation: sourceLocation)
    }
    // A service only comes out of a section without errors.
    #expect(report.services.count <= Set(report.services.map(\.name)).count, sourceLocation: sourceLocation)
  }

  @Test func randomBytes() {
    var random = Generator(state: 0x9E37_79B9_7F4A_7C15)
    for _ in 0..<3_000 {
      let length = Int.random(in: 0..<200, using: &random)
      let bytes = (0..<length).map { _ in Self.alphabet.randomElement(using: &random)! }
      checkInvariants(bytes)
    }
  }

  @Test func mutatedExamples() {
    var random = Generator(state: 42)
    for _ in 0..<5_000 {
      var bytes = Self.seeds.randomElement(using: &random)!
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty:  // truncate
          bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
        case 1 where !bytes.isEmpty:  // flip a byte
          bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
        case 2:  // insert a special byte
          bytes.insert(Self.alphabet.randomElement(using: &random)!, at: Int.random(in: 0...bytes.count, using: &random))
        case 3 where !bytes.isEmpty:  // duplicate a slice
          let start = Int.random(in: 0..<bytes.count, using: &random)
          let end = Int.random(in: start...bytes.count, using: &random)
          bytes.insert(contentsOf: bytes[start..<end], at: Int.random(in: 0...bytes.count, using: &random))
        default:  // splice two examples
          bytes += Self.seeds.randomElement(using: &random)!
        }
      }
      checkInvariants(bytes)
    }
  }

  @Test func hugeLinesAndDeepRepetitionStayLinear() {
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      checkInvariants(Array("[s]\ntype = http\nuri = /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 900_000))
      checkInvariants(Array(String(repeating: "[s]\n", count: 200_000).utf8))
      checkInvariants(Array(String(repeating: "[s]\ntype = tcp\nport = 1\nport = 2\n", count: 20_000).utf8))
      checkInvariants(Array(String(repeating: "=", count: 1 << 20).utf8))
      checkInvariants([UInt8](repeating: 0xFF, count: 1 << 20))
      checkInvariants(Array(String(repeating: "\n", count: 1 << 20).utf8))
    }
    // Generous: these finish in well under a second; a quadratic path would take minutes.
    #expect(elapsed < .seconds(60))
  }
}
