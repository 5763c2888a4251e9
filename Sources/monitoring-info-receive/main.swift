// The sshd forced command (docs/protocol.md): `monitoring-info-receive [--config FILE]
// --client HOST` for a bound key, `--unbound-key TYPE BLOB` for any other. The request comes
// from SSH_ORIGINAL_COMMAND, the payload from stdin; the reply is one JSON object on stdout.
// No Foundation and no ArgumentParser: it runs once per registration.
import AutoMonitorServer
import Glibc
import MonitoringInfo

let usage = """
  usage: monitoring-info-receive [--config FILE] (--client HOST | --unbound-key TYPE BLOB)
  Run by sshd as the forced command of the auto-monitor account; the request
  (register, deregister, status, enroll) is in SSH_ORIGINAL_COMMAND, the payload on stdin.

  """

func reply(_ reply: RegistrationReply, _ status: Int32) -> Never {
  StandardStream.output(reply.serialized)
  exit(status)
}

var configPath: String?
var identity: Receiver.Identity?
var scanner = ArgumentScanner(Array(CommandLine.arguments.dropFirst()))
while let item = scanner.next() {
  switch item {
  case .option("--config", _): configPath = try? scanner.value(of: "--config")
  case .option("--client", _):
    if let host = try? scanner.value(of: "--client"), HostName.isValid(host) { identity = .bound(host.lowercased()) }
  case .option("--unbound-key", _):
    if let type = try? scanner.value(of: "--unbound-key"), let blob = try? scanner.value(of: "--unbound-key"),
      let key = SSHPublicKey(type: type, blob: blob)
    {
      identity = .unbound(key)
    }
  case .option("-h", _), .option("--help", _):
    StandardStream.output(usage)
    exit(0)
  default:
    StandardStream.error(usage)
    reply(RegistrationReply(host: "", result: .refused, message: "receiver misconfigured: unknown argument"), 64)
  }
}
guard let identity else {
  StandardStream.error(usage)
  reply(RegistrationReply(host: "", result: .refused, message: "receiver misconfigured: no --client or --unbound-key"), 64)
}
let settings: ServerSettings
do { settings = try ServerSettings.load(configPath) } catch {
  StandardStream.error("monitoring-info-receive: \(error)\n")
  reply(RegistrationReply(host: "", result: .refused, message: "server misconfigured; the administrator sees why"), 2)
}
umask(0o027)
let request = Environment.get("SSH_ORIGINAL_COMMAND")?.trimmingWhitespace
let (answer, status) = Receiver(settings: settings, sourceAddress: Receiver.sourceAddress(sshConnection: Environment.get("SSH_CONNECTION"))).handle(request: request, identity: identity) {
  BoundedInput.read(0, limit: RegistrationPayload.maximumSize)
}
reply(answer, status)
