// swift-tools-version:6.0
// libFuzzer targets (fragments, JSON, registrations, token files), kept out of the main
// package because they only link with -sanitize=fuzzer. See bench/README.md.
import PackageDescription

let package = Package(
  name: "fuzz-monitoring-info",
  dependencies: [.package(name: "monitoring-info", path: "../..")],
  targets: [
    .target(name: "FuzzDriver"),
    .executableTarget(
      name: "FuzzFragment",
      dependencies: ["FuzzDriver", .product(name: "MonitoringInfo", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    // The one JSON reader and the protocol messages (register payload, reply, enrollment).
    .executableTarget(
      name: "FuzzJSON",
      dependencies: ["FuzzDriver", .product(name: "MonitoringInfo", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    // The plugin's registration reader (JSON, the service's validation, the status line) and
    // the mail-flow token-file parser.
    .executableTarget(
      name: "FuzzRegistration",
      dependencies: ["FuzzDriver", .product(name: "MonitoringChecks", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(
      name: "FuzzTokenFile",
      dependencies: ["FuzzDriver", .product(name: "MonitoringChecks", package: "monitoring-info")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
  ]
)
