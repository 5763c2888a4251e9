extension ServiceTypeSchema {
  static let ssh = ServiceTypeSchema(
    .ssh, sslCapable: false,
    summary: "SSH protocol banner",
    keys: [KeySpec("port", .port, default: .value(.integer(22)), "SSH port")])
}
