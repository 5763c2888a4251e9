import Foundation

/// What a finished program left: its exit status and both output streams.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  public var succeeded: Bool { status == 0 }
}

/// Runs a program to completion. `program` is a path, or a name looked up on PATH (of
/// `environment` when given). Output goes through temporary files, so neither stream can fill
/// a pipe and block the child; standard input is `stdin` or empty.
public func runProgram(
  _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
  stdin: Data? = nil
) throws -> ProcessResult {
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mi-run-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let inURL = scratch.appendingPathComponent("stdin")
  let outURL = scratch.appendingPathComponent("stdout")
  let errURL = scratch.appendingPathComponent("stderr")
  FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let input = try FileHandle(forReadingFrom: inURL)
  let output = try FileHandle(forWritingTo: outURL)
  let errors = try FileHandle(forWritingTo: errURL)
  defer {
    try? input.close()
    try? output.close()
    try? errors.close()
  }

  let process = Process()
  let isPath = program.contains("/")
  process.executableURL = URL(fileURLWithPath: isPath ? program : "/usr/bin/env")
  process.arguments = isPath ? arguments : [program] + arguments
  if let environment { process.environment = environment }
  if let directory { process.currentDirectoryURL = directory }
  process.standardInput = input
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus,
    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}
