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
    satellite add ZONE --endpoint NAME --address ADDRESS [--port N]
                  (--range ADDRESS/PREFIX | --match PATTERN)... [--master-address ADDRESS]
                          (Icinga 2, root) a satellite zone: the hosts registering from
                          the ranges or named like the patterns are checked by endpoint
                          NAME (reached at ADDRESS); writes the zone file, Icinga's Endpoint
                          and Zone, applies, and prints the commands to run on the satellite
    satellite remove ZONE its hosts go back to the master
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
var repeated: [String: [String]] = [:]
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
  case .option(let option, _) where ["--range", "--match"].contains(option):
    do { repeated[option, default: []].append(try scanner.value(of: option)) } catch { fail("\(error)\n\(usage)") }
  case .option(let option, _) where ["--config", "--key", "--host-key", "--port", "--endpoint", "--address", "--master-address"].contains(option):
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

@MainActor func satellite() -> Administration.Output {
  let setup = SatelliteSetup(settings: settings)
  switch (words.count, words.dropFirst().first) {
  case (3, "remove"):
    do { try setup.remove(words[2]) } catch { fail("\(error)", 1) }
    becomeNagiosUser()
    let applied = administration.apply(retryQuarantined: false, everything: true)
    return Administration.Output(text: "removed satellite zone \(words[2]); its hosts are checked by the master again\n" + applied.text,
      json: .object(["removed": .string(words[2]), "apply": applied.json]), status: applied.status)
  case (3, "add"):
    guard let endpoint = options["--endpoint"], let address = options["--address"] else {
      fail("satellite add needs --endpoint NAME and --address ADDRESS\n\(usage)")
    }
    var request = SatelliteSetup.Request(zone: words[2], endpoint: endpoint, endpointAddress: address)
    if let port = options["--port"] {
      guard let number = Int(port), (1...65535).contains(number) else { fail("--port needs a port number, not '\(port)'") }
      request.endpointPort = number
    }
    for text in repeated["--range"] ?? [] {
      guard let range = AddressRange(text) else { fail("--range needs ADDRESS/PREFIX (198.18.1.0/24, 2001:db8::/64), not '\(text)'") }
      request.ranges.append(range)
    }
    request.hostPatterns = repeated["--match"] ?? []
    request.masterAddress = options["--master-address"]
    let script: String
    do { script = try setup.add(request) } catch { fail("\(error)", 1) }
    becomeNagiosUser()
    let applied = administration.apply(retryQuarantined: false, everything: true)
    return Administration.Output(text: script + "\n# On this master: " + applied.text,
      json: .object(["zone": .string(request.zone), "commands": .string(script), "apply": applied.json]), status: applied.status)
  default:
    fail("satellite add ZONE ... | satellite remove ZONE\n\(usage)")
  }
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
case "satellite":
  output = satellite()
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
