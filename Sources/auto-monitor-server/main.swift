// The administrator's command for the registration server (auto-monitor-server(8)).
import AutoMonitorServer
import Glibc
import MonitoringInfo

let usage = """
  usage: auto-monitor-server [--config FILE] [--json] COMMAND [ARGUMENTS]

  commands:
    list                  hosts, their services, last registration, pending keys, stale hosts
    show HOST             one host: key, services and parameters (passwords hidden), quarantine
    accept HOST [--key FINGERPRINT]
                          bind the pending key of HOST (name the key when several wait)
    reject HOST           drop the pending enrollment requests of HOST
    ticket HOST           print a ticket: 'monitoring-info-sync enroll --ticket T' binds at once
    forget HOST           remove the host's registration, key and services (then apply)
    status                last apply, its error, quarantined hosts, verifications and reloads
    apply [--retry-quarantined] [--all]
                          build, verify (nagios4 -v or icinga2 daemon -C) and reload now,
                          as the monitoring system's user; --all renders every host again,
                          reloads and forces first checks of every service (package install)
    setup [--core]        create the state directories with their owners and modes, and
                          the backend's wiring (root; moves a layout of before 0.2.0);
                          --core: the core's directories only
    watch                 apply whenever registrations arrive (foreground; inotify)
    avahi-service [--host-key FILE] [--port N]
                          print the Avahi service file with the real host key fingerprint

  --config FILE  settings (default /etc/auto-monitor-server/server.conf)
  --json         print one JSON object instead of text
  exit status: 0 done, 1 failed (or status shows a failed apply), 3 unknown host or request,
  64 usage

  """

func fail(_ message: String, _ status: Int32 = 64) -> Never {
  StandardStream.error("auto-monitor-server: \(message)\n")
  exit(status)
}

var configPath: String?
var json = false
var options: [String: String] = [:]
var flags: Set<String> = []
nonisolated(unsafe) var words: [String] = []
var scanner = ArgumentScanner(Array(CommandLine.arguments.dropFirst()))
while let item = scanner.next() {
  switch item {
  case .word(let word): words.append(word)
  case .option("-h", _), .option("--help", _):
    StandardStream.output(usage)
    exit(0)
  case .option("--json", _): json = true
  case .option(let flag, _) where ["--retry-quarantined", "--all", "--core"].contains(flag): flags.insert(flag)
  case .option(let option, _) where ["--config", "--key", "--host-key", "--port"].contains(option):
    let value: String
    do { value = try scanner.value(of: option) } catch { fail("\(error)\n\(usage)") }
    if option == "--config" { configPath = value } else { options[option] = value }
  case .option(let option, _): fail("unknown option \(option)\n\(usage)")
  }
}
guard let command = words.first else { fail("no command\n\(usage)") }
let settings: ServerSettings
do { settings = try ServerSettings.load(configPath) } catch { fail("\(error)", 1) }
let administration = Administration(settings: settings)

@MainActor func host() -> String {
  guard words.count == 2 else { fail("\(command) needs one HOST\n\(usage)") }
  return words[1]
}
@MainActor func noArguments() {
  if words.count != 1 { fail("\(command) takes no arguments\n\(usage)") }
}
/// Steps that touch the monitoring system run as its user; everything else as the caller
/// (root or automon).
func becomeNagiosUser() {
  do { try Privileges.become(settings.nagiosUser) } catch { fail("\(error)", 1) }
}

let output: Administration.Output
switch command {
case "list": noArguments(); output = administration.list()
case "show": output = administration.show(host())
case "accept": output = administration.accept(host(), fingerprint: options["--key"])
case "reject": output = administration.reject(host())
case "ticket": output = administration.ticket(host())
case "forget": output = administration.forget(host())
case "status": noArguments(); output = administration.status()
case "apply":
  noArguments()
  becomeNagiosUser()
  output = administration.apply(retryQuarantined: flags.contains("--retry-quarantined"), everything: flags.contains("--all"))
case "watch":
  noArguments()
  becomeNagiosUser()
  do {
    try Watcher(settings: settings) { StandardStream.error("auto-monitor-server watch: \($0)\n") }.run()
  } catch { fail("\(error)", 1) }
case "setup":
  noArguments()
  do { try ServerLayout.create(settings, coreOnly: flags.contains("--core")) } catch { fail("\(error)", 1) }
  output = Administration.Output(text: "state directory \(settings.stateDirectory) ready\n",
    json: .object(["state_dir": .string(settings.stateDirectory)]))
case "avahi-service":
  noArguments()
  let port = Int(options["--port"] ?? "22") ?? 22
  output = administration.avahiService(hostKey: options["--host-key"] ?? "/etc/ssh/ssh_host_ed25519_key.pub", port: port)
default: fail("unknown command '\(command)'\n\(usage)", 3)
}
if json {
  StandardStream.output(output.json.serialized + "\n")
} else if output.status == 0 || command == "status" {
  StandardStream.output(output.text)
} else {
  StandardStream.error("auto-monitor-server: " + output.text)
}
exit(output.status)
