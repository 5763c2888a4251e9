extension ServiceTypeSchema {
  static let imap = ServiceTypeSchema(
    .imap, sslCapable: true, starttls: true,
    summary: "IMAP greeting and LOGOUT; with credentials: logs in and collects token mails",
    keys: [KeySpec("port", .port, default: .port(plain: 143, tls: 993), "IMAP port")] + mailboxKeys)

  /// What imap and pop3 need to log in and collect the mail flow's token mails.
  static let mailboxKeys = [
    KeySpec("username", .username, "login name"),
    KeySpec("password", .password, "login password"),
    KeySpec("mailflowid", .identifier, "the mail flow whose tokens are collected"),
  ]
}
