extension Rule {
  public static let quotedValue = Rule(
    tag: "monitoring-info-quoted-value", severity: .warning,
    summary: "value is enclosed in quotes, which become part of it",
    explanation: """
      Quotes are not special in monitoring-info files: 'uri = "/status"' asks for the path \
      '"/status"'. Remove the quotes unless they really belong to the value.
      """,
    triggering: ["[web]\ntype = http\nuri = ↓\"/status\"\n", "[mail]\ntype = imap\nusername = u\npassword = ↓'x'\n"],
    nonTriggering: ["[web]\ntype = http\nuri = /status\n", "[mail]\ntype = imap\nusername = u\npassword = \"x\n"])
}
