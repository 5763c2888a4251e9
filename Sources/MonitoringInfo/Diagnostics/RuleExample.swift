/// A rule's example taken apart: its files (split at `---` lines) with the `↓` marker removed,
/// and where the marker stood.
public struct RuleExample: Sendable {
  public struct File: Sendable {
    public let source: SourceFile
    /// Byte offset of `↓`, if this file has it.
    public let markedOffset: Int?
  }

  public let files: [File]

  public init(_ text: String, pathPrefix: String = "example") {
    let parts = text.split(separator: "\n---\n", omittingEmptySubsequences: false)
    files = parts.enumerated().map { index, part in
      var bytes: [UInt8] = []
      var marked: Int?
      let marker = Array("↓".utf8)
      let raw = Array(part.utf8)
      var position = 0
      while position < raw.count {
        if raw[position...].starts(with: marker) {
          marked = bytes.count
          position += marker.count
        } else {
          bytes.append(raw[position])
          position += 1
        }
      }
      if index < parts.count - 1 { bytes.append(UInt8(ascii: "\n")) }
      return File(source: SourceFile(path: "\(pathPrefix)\(index + 1).conf", bytes: bytes), markedOffset: marked)
    }
  }

  /// Where the example expects its finding: (path, line, column), or line and column 0 when
  /// no file carries a marker.
  public var expectedPosition: (path: String, line: Int, column: Int) {
    for file in files {
      if let offset = file.markedOffset {
        let location = file.source.location(of: offset)
        return (file.source.path, location.line, location.column)
      }
    }
    return (files.last!.source.path, 0, 0)
  }
}
