// sshd's AuthorizedKeysCommand for the auto-monitor account:
// `auto-monitor-authorized-keys [--config FILE] %u %t %k` prints one authorized_keys line.
import AutoMonitorServer
import Glibc
import MonitoringInfo

let usage = "usage: auto-monitor-authorized-keys [--config FILE] USER KEYTYPE KEY\n"
var configPath: String?
var arguments: [String] = []
var scanner = ArgumentScanner(Array(CommandLine.arguments.dropFirst()))
while let item = scanner.next() {
  switch item {
  case .word(let word): arguments.append(word)
  case .option("-h", _), .option("--help", _):
    StandardStream.output(usage + "sshd's AuthorizedKeysCommand (%u %t %k): prints the forced-command line for the key.\n")
    exit(0)
  case .option("--config", _) where configPath == nil && arguments.isEmpty:
    guard let path = try? scanner.value(of: "--config") else {
      StandardStream.error(usage)
      exit(64)
    }
    configPath = path
  case .option:
    // A key blob never starts with '-'; anything else of this shape is a misconfiguration.
    StandardStream.error(usage)
    exit(64)
  }
}
guard arguments.count == 3 else {
  StandardStream.error(usage)
  exit(64)
}
do {
  let settings = try ServerSettings.load(configPath)
  if let line = AuthorizedKeys(settings: settings).line(user: arguments[0], type: arguments[1], blob: arguments[2]) {
    StandardStream.output(line)
  }
} catch {
  StandardStream.error("auto-monitor-authorized-keys: \(error)\n")
  exit(1)
}
