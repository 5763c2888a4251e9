extension ServiceTypeSchema {
  static let smtp = ServiceTypeSchema(
    .smtp, sslCapable: true, starttls: true,
    summary: "SMTP greeting; with email: sends a mail carrying a token for the mail-flow check",
    keys: [
      KeySpec("port", .port, default: .port(plain: 25, tls: 465), "SMTP port"),
      KeySpec("email", .email, "address the token mail is sent to"),
      KeySpec("mailflowid", .identifier, "the mail flow the token belongs to"),
    ])
}
