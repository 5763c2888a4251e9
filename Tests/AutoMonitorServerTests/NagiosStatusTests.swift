import AutoMonitorServer
import Testing

/// status.dat as Nagios 4.4 writes it: tab-indented `key=value` lines in blocks.
@Suite struct NagiosStatusTests {
  static let sample = """
    info {
    \tcreated=1765000000
    \t}

    hoststatus {
    \thost_name=b.example.org
    \tcurrent_state=0
    \t}

    servicestatus {
    \thost_name=b.example.org
    \tservice_description=web
    \thas_been_checked=1
    \tcurrent_state=2
    \tplugin_output=HTTP CRITICAL - connection refused; a=b
    \tlast_check=1765000100
    \t}

    servicestatus {
    \thost_name=c.example.org
    \tservice_description=web
    \thas_been_checked=1
    \tcurrent_state=0
    \t}

    servicestatus {
    \thost_name=b.example.org
    \tservice_description=ssh
    \thas_been_checked=0
    \tcurrent_state=0
    \tplugin_output=
    \tlast_check=0
    \t}

    """

  @Test func readsTheHostsServicesOnly() {
    let states = NagiosStatus.services(of: "b.example.org", in: Array(Self.sample.utf8))
    #expect(states == [
      ServiceState(name: "web", state: .critical, output: "HTTP CRITICAL - connection refused; a=b", lastCheck: 1_765_000_100),
      ServiceState(name: "ssh", state: nil, output: "", lastCheck: nil),
    ])
    #expect(NagiosStatus.services(of: "nosuch.example.org", in: Array(Self.sample.utf8)).isEmpty)
    #expect(NagiosStatus.services(of: "b.example.org", in: Array("servicestatus {\n\thost_name=b.example.org\n".utf8)).isEmpty)
  }
}
