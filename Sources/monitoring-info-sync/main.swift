// monitoring-info-sync: registers this host's monitoring-info fragments with the monitoring
// server over ssh (see monitoring-info-sync(8) and docs/architecture.md). All logic lives in
// the MonitoringClient library.
import MonitoringClient

#if canImport(Glibc)
import Glibc
#endif

exit(ClientCommand.main(Array(CommandLine.arguments.dropFirst())))
