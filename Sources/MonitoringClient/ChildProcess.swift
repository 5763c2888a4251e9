import MonitoringInfo

/// The system layer's Subprocess in the client's error domain: ssh, ssh-keygen, ssh-keyscan
/// and avahi-browse, with input from memory, both outputs captured and a deadline after which
/// the whole process group is killed.
public enum ChildProcess {
  public static func run(_ program: String, _ arguments: [String], input: [UInt8] = [], timeout: Double) throws(ClientError) -> Subprocess.Result {
    do { return try Subprocess.run(program, arguments, input: input, timeout: timeout) } catch { throw .transport(error.description) }
  }
}
