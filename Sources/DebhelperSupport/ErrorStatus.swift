#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The exit status of a debhelper tool that calls `error()`. Dh_Lib sets `$!` to 255 and
/// dies, and Perl exits with `$!`; but its colour detection (`-t STDOUT or -t STDERR`, only
/// when DH_COLORS, DPKG_COLORS and NO_COLOR leave the mode at "auto") runs in between and
/// leaves ENOTTY (25) when neither stream is a terminal. Measured with debhelper 13.11: 25 in a
/// build log or a pipe, 255 on a terminal or with colours set to never or always.
public func debhelperErrorStatus(environment: [String: String]) -> Int32 {
  let mode = environment["DH_COLORS"] ?? environment["DPKG_COLORS"] ?? (environment["NO_COLOR"] != nil ? "never" : "auto")
  return mode == "auto" && isatty(1) == 0 && isatty(2) == 0 ? ENOTTY : 255
}
