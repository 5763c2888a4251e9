extension ServiceTypeSchema {
  static let mailflow = ServiceTypeSchema(
    .mailflow, sslCapable: false,
    summary: "fails if a token of the mail flow is older than seconds",
    keys: [
      KeySpec("seconds", .seconds, required: true, "how old an undelivered token may get"),
      KeySpec("id", .identifier, required: true, "the mail flow to watch"),
    ])
}
