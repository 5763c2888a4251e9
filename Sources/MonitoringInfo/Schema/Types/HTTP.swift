extension ServiceTypeSchema {
  static let http = ServiceTypeSchema(
    .http, sslCapable: true,
    summary: "GET succeeds (2xx; 3xx too unless accept_redirection is false)",
    keys: [
      KeySpec("port", .port, default: .port(plain: 80, tls: 443), "TCP port of the web server"),
      KeySpec("uri", .uri, default: .value(.string("/")), "path to request"),
      KeySpec("accept_redirection", .boolean, default: .value(.boolean(true)), "whether a 3xx answer counts as success"),
      KeySpec("hostname", .hostname, default: .hostName, "sent as the Host header"),
    ])
}
