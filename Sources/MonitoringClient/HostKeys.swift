@_exported import SSHKeys

/// The server's ssh host key, as the client pins it (`server_key`).
public typealias HostKey = SSHPublicKey
