/// Brian's opt-out: `exclude` names packages, fragment files (`apache2.conf`) or services.
public struct Exclusions: Sendable {
  private let names: Set<String>

  public init(_ names: [String]) { self.names = Set(names) }

  public func excludesPackage(_ package: String?) -> Bool { package.map(names.contains) ?? false }

  /// A fragment or defaults file by its name (`apache2.conf`).
  public func excludesFile(_ name: String) -> Bool { names.contains(name) }

  public func excludesService(_ name: String) -> Bool { names.contains(name) }
}
