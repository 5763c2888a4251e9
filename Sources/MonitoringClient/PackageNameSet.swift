#if canImport(Glibc)
import Glibc
#endif

/// Package names compared as raw bytes, so that the stanza scan can pass over the packages it
/// does not need without making a String of each name: bucketed by an FNV-1a hash of the
/// bytes, then memcmp.
struct PackageNameSet: Sendable {
  private var buckets: [Int: [[UInt8]]] = [:]

  init(_ names: Set<String>) {
    for name in names where !name.isEmpty { insert(Array(name.utf8)) }
  }

  mutating func insert(_ raw: UnsafeRawBufferPointer) { insert(Array(raw)) }

  private mutating func insert(_ name: [UInt8]) {
    let key = name.withUnsafeBytes { Self.key($0) }
    if buckets[key]?.contains(name) == true { return }
    buckets[key, default: []].append(name)
  }

  func contains(_ raw: UnsafeRawBufferPointer) -> Bool {
    guard let base = raw.baseAddress, raw.count > 0,
      let bucket = buckets[Self.key(raw)]
    else { return false }
    for name in bucket where name.count == raw.count && name.withUnsafeBytes({ memcmp($0.baseAddress!, base, raw.count) == 0 }) { return true }
    return false
  }

  private static func key(_ bytes: UnsafeRawBufferPointer) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash)
  }
}
