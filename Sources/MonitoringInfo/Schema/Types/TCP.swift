extension ServiceTypeSchema {
  static let tcp = ServiceTypeSchema(
    .tcp, sslCapable: true,
    summary: "the host accepts a TCP connection on the port",
    keys: [KeySpec("port", .port, required: true, "TCP port to connect to")])
}
