/// Remembers the first element seen under each name. A fragment has a handful of sections and
/// a section a handful of keys, where a linear search is much cheaper than hashing (bench/lint);
/// past `linearLimit` it switches to a dictionary so hostile input stays linear overall.
struct FirstOccurrences<Element> {
  static var linearLimit: Int { 16 }
  private var few: [(name: String, element: Element)] = []
  private var many: [String: Element]?

  /// The earlier element with this name, or nil after recording `element` as the first one.
  mutating func earlier(_ name: String, else element: Element) -> Element? {
    if var many {
      if let found = many[name] { return found }
      self.many = nil  // keep the dictionary uniquely referenced while it is changed
      many[name] = element
      self.many = many
      return nil
    }
    if let found = few.first(where: { $0.name == name }) { return found.element }
    few.append((name, element))
    if few.count > Self.linearLimit {
      many = Dictionary(few.map { ($0.name, $0.element) }, uniquingKeysWith: { first, _ in first })
      few = []
    }
    return nil
  }
}
