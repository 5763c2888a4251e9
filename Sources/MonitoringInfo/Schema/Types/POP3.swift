extension ServiceTypeSchema {
  static let pop3 = ServiceTypeSchema(
    .pop3, sslCapable: true, starttls: true,
    summary: "POP3 greeting and QUIT; with credentials: logs in and collects token mails",
    keys: [KeySpec("port", .port, default: .port(plain: 110, tls: 995), "POP3 port")] + mailboxKeys)
}
