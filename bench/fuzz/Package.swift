// swift-tools-version:6.0
// libFuzzer targets for the fragment parser and validator and for the JSON reader, kept out of the main package
// because it only links with -sanitize=fuzzer. See bench/README.md.
import PackageDescription

let package = Package(
  name: "fuzz-monitoring-info",
  dependencies: [.package(name: "monitoring-info", path: "../..")],
  targets: [
    .executableTarget(
      name: "FuzzFragment",
      dependencies: [.product(name: "MonitoringInfo", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    // The one JSON reader and the protocol messages (register payload, reply, enrollment).
    .executableTarget(
      name: "FuzzJSON",
      dependencies: [.product(name: "MonitoringInfo", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
  ]
)
