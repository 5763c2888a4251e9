Tag: monitoring-info-incomplete-credentials
Severity: warning
Check: monitoring-info
Explanation: Username without password, or password without username.
 .
 A login (imap, pop3) or bind (ldap) needs both 'username' and
 'password'. With only one of them the check falls back to an anonymous
 exchange, which is probably not what was meant.
See-Also: monitoring-info-lint(1)
