/// Random spreads for every wait of the client, so that a fleet that failed together (one
/// unattended-upgrades run, a server that moved) does not come back together.
public enum Jitter {
  /// `seconds` moved at random by up to `fraction` of itself either way: the mean stays what
  /// the documentation says (1 min doubling to 1 h), the hosts spread over half of it.
  public static func spread<G: RandomNumberGenerator>(_ seconds: Int, fraction: Double = 0.25, using generator: inout G) -> Int {
    let margin = Int(Double(seconds) * fraction)
    guard margin > 0 else { return seconds }
    return seconds + Int.random(in: -margin...margin, using: &generator)
  }
}
