// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "monitoring-info",
  products: [
    .library(name: "MonitoringInfo", targets: ["MonitoringInfo"]),
    .executable(name: "monitoring-info-lint", targets: ["monitoring-info-lint"]),
    .executable(name: "check_monitoring_info", targets: ["check_monitoring_info"]),
    // For bench/fuzz (the registration reader and the token-file parser).
    .library(name: "MonitoringChecks", targets: ["MonitoringChecks"]),
    .executable(name: "monitoring-info-sync", targets: ["monitoring-info-sync"]),
    .executable(name: "monitoring-info-receive", targets: ["monitoring-info-receive"]),
    .executable(name: "auto-monitor-authorized-keys", targets: ["auto-monitor-authorized-keys"]),
    .executable(name: "auto-monitor-server", targets: ["auto-monitor-server"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // The system layer under every library: atomic files, spawning programs, clocks, errno
    // text, white space (as dpkg's lib/dpkg is for its tools). No Foundation.
    .target(name: "SystemLayer"),
    .testTarget(name: "SystemLayerTests", dependencies: ["SystemLayer", "TestKit"]),
    // The format: syntax, schema, validation, diagnostics. No CLI code, no Foundation.
    // Re-exports SystemLayer, so every library that reads the format has the system layer.
    .target(name: "MonitoringInfo", dependencies: ["SystemLayer"]),
    .executableTarget(
      name: "monitoring-info-lint",
      dependencies: ["MonitoringInfo", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .executableTarget(name: "generate-reference", dependencies: ["MonitoringInfo"]),
    // Shared by the test targets: running programs, build paths, golden files.
    .target(name: "TestKit", dependencies: ["SystemLayer", "MonitoringInfo"], path: "Tests/TestKit"),
    .testTarget(name: "MonitoringInfoTests", dependencies: ["MonitoringInfo", "TestKit"], exclude: ["Fixtures"]),
    // lintian check (lintian/): golden hints from real dpkg-deb + lintian runs
    .testTarget(name: "LintianCheckTests", dependencies: ["MonitoringInfo", "TestKit"], exclude: ["Cases", "SourcePackages"]),
    // dh_monitoringinfo: libapt-pkg shim (C API over C++), debhelper semantics, thin tool.
    .target(name: "CAptPkg", linkerSettings: [.linkedLibrary("apt-pkg")]),
    .target(name: "DebhelperSupport", dependencies: ["CAptPkg", "MonitoringInfo"]),
    .executableTarget(name: "dh_monitoringinfo", dependencies: ["DebhelperSupport", "MonitoringInfo"]),
    .testTarget(name: "DebhelperTests", dependencies: ["DebhelperSupport", "TestKit"], exclude: ["Fixtures", "Reference"]),
    // The Nagios plugin check_monitoring_info: checks over the system OpenSSL, no Foundation.
    // OpenSSL headers (libssl-dev); libssl.so.3 itself is loaded on first use (see loader.c).
    .target(name: "COpenSSL"),
    .target(name: "MonitoringChecks", dependencies: ["MonitoringInfo", "COpenSSL", "SystemLayer"]),
    .executableTarget(name: "check_monitoring_info", dependencies: ["MonitoringChecks"]),
    .testTarget(
      name: "MonitoringChecksTests", dependencies: ["MonitoringChecks", "TestKit"],
      exclude: ["Fixtures"]),
    // OpenSSH public keys, fingerprints, SHA-256, HMAC and Base64: one implementation for the
    // client and the server, in Swift (no crypto library to load).
    .target(name: "SSHKeys"),
    .testTarget(name: "SSHKeysTests", dependencies: ["SSHKeys", "TestKit"]),
    // The client monitoring-info-sync: fragment collection, dpkg state (through CAptPkg), payload,
    // transport over the system ssh, state and retry, discovery. No Foundation: dpkg runs it.
    .target(name: "MonitoringClient", dependencies: ["MonitoringInfo", "CAptPkg", "SSHKeys", "SystemLayer"]),
    .executableTarget(name: "monitoring-info-sync", dependencies: ["MonitoringClient"]),
    .testTarget(name: "MonitoringClientTests", dependencies: ["MonitoringClient", "TestKit"]),
    // bench/client-e2e's driver: a program over the test kit, not a test (it prints a figure).
    .executableTarget(name: "client-e2e-driver", dependencies: ["TestKit"], path: "bench/client-e2e-driver"),
    // bench/server-icinga2's driver: the Icinga 2 backend at 10,000 hosts, over the test kit.
    .executableTarget(name: "server-icinga2-driver", dependencies: ["TestKit"], path: "bench/server-icinga2-driver"),
    // bench/herd's driver: 1,000 clients registering at once through a private sshd.
    .executableTarget(name: "herd-driver", dependencies: ["TestKit", "SSHKeys", "MonitoringInfo"], path: "bench/herd-driver"),
    // The registration server: store, enrollment, apply, the Nagios 4 and Icinga 2 backends. No Foundation:
    // the receiver runs once per registration.
    .target(name: "AutoMonitorServer", dependencies: ["MonitoringInfo", "SSHKeys", "SystemLayer"]),
    .executableTarget(name: "monitoring-info-receive", dependencies: ["AutoMonitorServer", "MonitoringInfo"]),
    .executableTarget(name: "auto-monitor-authorized-keys", dependencies: ["AutoMonitorServer", "MonitoringInfo"]),
    .executableTarget(name: "auto-monitor-server", dependencies: ["AutoMonitorServer", "MonitoringInfo"]),
    .testTarget(name: "AutoMonitorServerTests", dependencies: ["AutoMonitorServer", "MonitoringInfo", "TestKit"], exclude: ["Golden"]),
    // debian/: the package build, lintian on it, install/upgrade/remove/purge in dpkg roots,
    // debconf through real frontends.
    .testTarget(name: "PackagingTests", dependencies: ["TestKit"]),
  ]
)
