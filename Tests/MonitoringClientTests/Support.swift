// Helpers for the client tests: a throw-away root with a dpkg status database, fragments,
// defaults and client.conf, and running the built monitoring-info-sync below it.
import Foundation
import MonitoringClient
import TestKit

extension TestRoot {
  var paths: ClientPaths { ClientPaths(root: path) }

  func collect(exclude: [String] = []) throws -> FragmentCollection {
    try FragmentCollector(paths: paths, exclude: exclude, hostName: "b.example.org").collect()
  }
}

extension Client {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
}
