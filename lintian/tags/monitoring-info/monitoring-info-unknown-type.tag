Tag: monitoring-info-unknown-type
Severity: error
Check: monitoring-info
Explanation: 'type' names no known service type.
 .
 The known types are http, tcp, udp, smtp, imap, pop3, mailflow, ldap and
 ssh (lower case). For a service that speaks none of these protocols, use
 tcp or udp with its port.
See-Also: monitoring-info-lint(1)
