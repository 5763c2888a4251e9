// check_monitoring_info: the Nagios plugin that performs every check of the
// monitoring-info format. All logic is in MonitoringChecks; this file only adds
// the hard time limit, prints, and exits.
import Glibc
import MonitoringChecks
import MonitoringInfo

/// The backstop alarm's line, in a buffer the signal handler only reads: it starts with the
/// check's type as soon as that is known.
nonisolated(unsafe) let alarmLine = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 128)
nonisolated(unsafe) var alarmLineLength = 0

func setAlarmLine(_ label: String) {
  let bytes = Array("\(label) UNKNOWN - plugin timed out\n".utf8.prefix(alarmLine.count))
  _ = alarmLine.initialize(from: bytes)
  alarmLineLength = bytes.count
}

/// Backstop for anything that does not honour the deadline (name resolution):
/// one second after the timeout the process says UNKNOWN and exits 3.
func armAlarm(_ arguments: [String]) {
  var seconds: UInt32 = 10
  for (i, a) in arguments.enumerated() {
    let value: String? = a.hasPrefix("--timeout=") ? String(a.dropFirst(10))
      : (a == "-t" || a == "--timeout") && i + 1 < arguments.count ? arguments[i + 1] : nil
    if let value, let t = Plugin.timeout(value) { seconds = UInt32(t.rounded(.up)) }
  }
  setAlarmLine(arguments.first.flatMap { CheckType(rawValue: $0) }?.rawValue.uppercased() ?? "MONITORING-INFO")
  signal(SIGALRM) { _ in
    _ = Glibc.write(1, alarmLine.baseAddress, alarmLineLength)
    _exit(3)
  }
  // A parent may have left SIGALRM blocked (signal masks are inherited).
  var set = sigset_t()
  sigemptyset(&set)
  sigaddset(&set, SIGALRM)
  sigprocmask(SIG_UNBLOCK, &set, nil)
  alarm(seconds + 1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
armAlarm(arguments)
signal(SIGPIPE, SIG_IGN)
let (output, status) = Plugin.main(arguments, environment: Environment.current(), announce: setAlarmLine)
StandardStream.output(output)
exit(status)
