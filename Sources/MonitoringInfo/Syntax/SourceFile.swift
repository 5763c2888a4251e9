/// The bytes of one fragment and where they came from. Positions are byte offsets;
/// lines and columns are computed only when a diagnostic is shown.
public struct SourceFile: Sendable {
  public let path: String
  public let bytes: [UInt8]
  /// Offset of the first byte of each line, for turning offsets into lines by binary search.
  private let lineStarts: [Int]

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    var starts = [0]
    bytes.withUnsafeBufferPointer { buffer in
      for index in buffer.indices where buffer[index] == UInt8(ascii: "\n") {
        starts.append(index + 1)
      }
    }
    self.lineStarts = starts
  }

  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// 1-based line and column of a byte offset. Columns count Unicode scalars, so a caret
  /// lines up under multi-byte characters.
  public func location(of offset: Int) -> SourcePosition {
    let offset = min(max(offset, 0), bytes.count)
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    let line = low + 1
    let lineStart = lineStarts[low]
    var column = 1
    for index in lineStart..<offset where bytes[index] & 0xC0 != 0x80 {
      column += 1
    }
    return SourcePosition(line: line, column: column)
  }

  /// The text of the line containing `offset`, without its line end, decoded leniently
  /// (invalid UTF-8 becomes U+FFFD) for display.
  public func lineText(containing offset: Int) -> String {
    let offset = min(max(offset, 0), bytes.count)
    var start = offset
    while start > 0 && bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
    var end = offset
    while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  public func text(_ range: SourceRange) -> String {
    String(decoding: bytes[range.start..<range.end], as: UTF8.self)
  }
}

/// A half-open range of byte offsets into a `SourceFile`.
public struct SourceRange: Sendable, Hashable {
  public let start: Int
  public let end: Int

  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }
}

/// 1-based line and column.
public struct SourcePosition: Sendable, Hashable {
  public let line: Int
  public let column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}
