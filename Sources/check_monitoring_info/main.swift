// check_monitoring_info: the Nagios plugin that performs every check of the
// monitoring-info format. All logic is in MonitoringChecks; this file only adds
// the hard time limit, prints, and exits.
import Glibc
import MonitoringChecks
import MonitoringInfo

/// Backstop for anything that does not honour the deadline (name resolution):
/// one second after the timeout the process says UNKNOWN and exits 3.
func armAlarm(_ arguments: [String]) {
  var seconds: UInt32 = 10
  for (i, a) in arguments.enumerated() {
    let value: String? = a.hasPrefix("--timeout=") ? String(a.dropFirst(10))
      : (a == "-t" || a == "--timeout") && i + 1 < arguments.count ? arguments[i + 1] : nil
    if let value, let t = Double(value), t > 0, t <= 3600 { seconds = UInt32(t.rounded(.up)) }
  }
  signal(SIGALRM) { _ in
    let message = "MONITORING-INFO UNKNOWN - plugin timed out\n"
    _ = message.utf8CString.withUnsafeBufferPointer { Glibc.write(1, $0.baseAddress, $0.count - 1) }
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
let (output, status) = Plugin.main(arguments, environment: Environment.current())
StandardStream.output(output)
exit(status)
