// Every library reads the format; through it, every library has the one system layer.
@_exported import SystemLayer
