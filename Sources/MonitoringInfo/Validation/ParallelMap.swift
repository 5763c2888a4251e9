import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// `map` spread over the processor's cores, results in input order. Reading and validating
/// thousands of fragments is independent per file; below `minimumPerThread` items per thread
/// the threads cost more than they save, so small inputs stay on the calling thread.
enum ParallelMap {
  static func map<Input: Sendable, Output: Sendable>(
    _ inputs: [Input], minimumPerThread: Int, _ transform: @Sendable (Input) -> Output
  ) -> [Output] {
    let threads = min(activeProcessorCount, inputs.count / max(1, minimumPerThread))
    guard threads > 1 else { return inputs.map(transform) }
    let slots = ResultSlots<Output>(count: inputs.count)
    // Several chunks per thread, handed out as threads become free, so one slow thread (or a
    // core busy with something else) does not hold up the rest.
    let chunks = threads * 8
    let chunk = (inputs.count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { part in
      let start = part * chunk
      for index in start..<min(start + chunk, inputs.count) { slots.store(transform(inputs[index]), at: index) }
    }
    return slots.values()
  }

  private static var activeProcessorCount: Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
  }
}

/// Write-once storage that threads fill at distinct indices; read only after they all joined.
/// Raw memory allocated up front, so no thread ever touches the shared array header.
private final class ResultSlots<Output>: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Output?>

  init(count: Int) {
    storage = .allocate(capacity: count)
    storage.initialize(repeating: nil)
  }

  deinit {
    storage.deinitialize()
    storage.deallocate()
  }

  func store(_ value: Output, at index: Int) { storage[index] = value }

  func values() -> [Output] { storage.map { $0! } }
}
