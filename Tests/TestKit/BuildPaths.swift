import Foundation

/// Where the package and SwiftPM's build products are, found from this file and from the
/// running test binary: no path of any machine is written down.
public enum BuildPaths {
  /// The package root (Tests/TestKit/BuildPaths.swift is three levels below it).
  public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// SwiftPM's bin directory: the test binary runs from there, next to the package's executables.
  public static let binDirectory: URL = {
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    // A bundle layout (NAME.xctest/Contents/...) puts the binary deeper.
    while directory.path != "/", !FileManager.default.fileExists(atPath: directory.appendingPathComponent("monitoring-info-lint").path),
      directory.lastPathComponent != ".build"
    {
      directory = directory.deletingLastPathComponent()
    }
    return directory
  }()

  /// An executable of this package, from the same build as the tests.
  public static func executable(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }
}
