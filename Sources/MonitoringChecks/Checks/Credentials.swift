/// A login (imap, pop3) or simple bind (ldap): both parts or neither.
struct Credentials {
  var username: String
  var password: String

  init?(_ spec: ServiceSpec) throws(CheckFailure) {
    let user = spec.values["username"] ?? "", password = spec.values["password"] ?? ""
    if user.isEmpty && password.isEmpty { return nil }
    guard !user.isEmpty, !password.isEmpty else {
      throw CheckFailure(.unknown, "username and password must be given together")
    }
    guard !(user + password).contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\0" }) else {
      throw CheckFailure(.unknown, "username or password contains a line break")
    }
    username = user
    self.password = password
  }
}

/// What imap and pop3 need before they connect: the login, and with a mailflowid the token
/// store whose mails they collect (which only makes sense after a login).
func mailboxAccess(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> (Credentials?, MailflowStore?) {
  let credentials = try Credentials(spec)
  let store: MailflowStore? = try spec.string("mailflowid").map { id throws(CheckFailure) in
    try MailflowStore(root: context.mailflowDirectory, id: id, deadline: context.deadline)
  }
  if store != nil && credentials == nil {
    throw CheckFailure(.unknown, "mailflowid needs username and password")
  }
  return (credentials, store)
}
