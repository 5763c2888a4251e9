/// Why a test's set-up failed (a server that did not start, a build that broke): the one error
/// type of the test kit, with the output that explains it.
public struct TestFailure: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
