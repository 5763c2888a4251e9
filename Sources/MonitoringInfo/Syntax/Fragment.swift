/// The syntax of one fragment: sections with their `key = value` entries, each with its
/// source range. Nothing here knows about service types; that is the schema's job.
public struct Fragment: Sendable {
  public var sections: [Section] = []
}

public struct Section: Sendable {
  public let name: String
  public let nameRange: SourceRange
  /// False when the name breaks the service-name rules; the section is still parsed so its
  /// keys do not cascade into further errors.
  public let hasValidName: Bool
  public var entries: [Entry] = []
}

public struct Entry: Sendable {
  public let key: String
  public let keyRange: SourceRange
  public let value: String
  public let valueRange: SourceRange
}

/// A section's name without its entries: what is kept of a fragment after validation.
public struct SectionHeader: Sendable {
  public let name: String
  public let nameRange: SourceRange
  public let hasValidName: Bool
}
