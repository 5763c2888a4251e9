Tag: monitoring-info-incomplete-credentials
Severity: warning
Check: monitoring-info
Explanation: Username without password, password without username, or mailflowid without either.
 .
 A login (imap, pop3) or bind (ldap) needs both 'username' and
 'password'. With only one of them the check falls back to an anonymous
 exchange, which is probably not what was meant. An imap or pop3 check
 with a 'mailflowid' must log in to collect the flow's token mails.
See-Also: monitoring-info-lint(1)
