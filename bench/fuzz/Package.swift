// swift-tools-version:6.0
// A libFuzzer target for the fragment parser and validator, kept out of the main package
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
  ]
)
