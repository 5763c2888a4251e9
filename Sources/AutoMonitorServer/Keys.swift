@_exported import SSHKeys
