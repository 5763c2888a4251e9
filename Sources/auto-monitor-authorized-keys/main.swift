// sshd's AuthorizedKeysCommand for the auto-monitor account:
// `auto-monitor-authorized-keys [--config FILE] %u %t %k` prints one authorized_keys line.
import AutoMonitorServer
import Glibc
import MonitoringInfo

var arguments = Array(CommandLine.arguments.dropFirst())
var configPath: String?
if arguments.first == "-h" || arguments.first == "--help" {
  StandardStream.output("""
    usage: auto-monitor-authorized-keys [--config FILE] USER KEYTYPE KEY
    sshd's AuthorizedKeysCommand (%u %t %k): prints the forced-command line for the key.

    """)
  exit(0)
}
if arguments.first == "--config", arguments.count >= 2 {
  configPath = arguments[1]
  arguments.removeFirst(2)
}
guard arguments.count == 3 else {
  StandardStream.error("usage: auto-monitor-authorized-keys [--config FILE] USER KEYTYPE KEY\n")
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
