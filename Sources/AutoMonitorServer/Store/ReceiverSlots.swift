import Glibc
import MonitoringInfo

/// How many receivers may store registrations at once: a fixed number of lock files,
/// `slots/0` ... `slots/N-1` in the state directory, each held with `flock` while one
/// `register` runs. A receiver that finds every slot taken answers `busy` at once (with
/// `retry_after`) instead of piling up behind the others: when a whole fleet registers within
/// seconds (docs/protocol.md, "Busy"), the clients come back spread out instead of holding
/// sshd's connection slots and the machine's memory.
///
/// The kernel drops a lock with its process, so a receiver killed midway never leaves a slot
/// taken. A slot that cannot be opened at all (the directory is missing or unwritable) never
/// blocks a registration: the gate protects the server, it is no reason to refuse one.
public struct ReceiverSlots: Sendable {
  public let directory: String
  public let count: Int

  public init(settings: ServerSettings) {
    directory = settings.slots
    count = settings.maximumReceivers
  }

  /// A slot held for as long as this value's descriptor is open.
  public struct Slot: ~Copyable {
    let descriptor: Int32
    deinit { if descriptor >= 0 { close(descriptor) } }
  }

  /// Takes a free slot, trying them from a random one on so that concurrent receivers do not
  /// all contend for slot 0; nil when all `count` are held by others.
  public func take() -> Slot? {
    guard count > 0 else { return Slot(descriptor: -1) }
    if mkdir(directory, 0o700) != 0 && errno != EEXIST { return Slot(descriptor: -1) }
    let start = Int.random(in: 0..<count)
    var opened = false
    for offset in 0..<count {
      let path = directory + "/" + String((start + offset) % count)
      let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
      guard descriptor >= 0 else { continue }
      opened = true
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return Slot(descriptor: descriptor) }
      close(descriptor)
    }
    return opened ? nil : Slot(descriptor: -1)
  }

  /// Runs `body` in a slot, or returns nil at once when every slot is taken.
  public func admit<T>(_ body: () -> T) -> T? {
    guard let slot = take() else { return nil }
    let result = body()
    _ = consume slot
    return result
  }
}
