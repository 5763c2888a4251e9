/// The name a host registers under: an RFC 1123 host name without the final dot, at most 253
/// bytes. It becomes a file name on the server and a Nagios host_name, so nothing else passes.
public enum HostName {
  public static func isValid(_ name: String) -> Bool {
    let bytes = name.utf8
    return bytes.last != UInt8(ascii: ".") && ValueKind.isHostname(bytes)
  }
}
