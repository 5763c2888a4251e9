extension ServiceTypeSchema {
  static let ldap = ServiceTypeSchema(
    .ldap, sslCapable: true, starttls: true,
    summary: "a valid LDAP exchange; with username and password: a simple bind",
    keys: [
      KeySpec("port", .port, default: .port(plain: 389, tls: 636), "LDAP port"),
      KeySpec("username", .username, "bind DN"),
      KeySpec("password", .password, "bind password"),
    ])
}
