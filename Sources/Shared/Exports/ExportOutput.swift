import Foundation
import NIOPosix

/// Where an export goes: standard output or a file. Writes run on NIO's blocking-I/O thread pool,
/// never on Swift's cooperative pool.
public final class ExportOutput: Sendable {
    private let handle: FileHandle
    private let closesHandle: Bool
    private let threadPool: NIOThreadPool

    private init(handle: FileHandle, closesHandle: Bool, threadPool: NIOThreadPool = .singleton) {
        self.handle = handle
        self.closesHandle = closesHandle
        self.threadPool = threadPool
    }

    /// The process's standard output.
    public static func standardOutput() -> ExportOutput {
        ExportOutput(handle: .standardOutput, closesHandle: false)
    }

    /// Runs `body` with the file at `path` created (or truncated) for writing, and closes it after.
    public static func withFile<T: Sendable>(_ path: String, _ body: (ExportOutput) async throws -> T) async throws -> T {
        let handle: FileHandle = try await NIOThreadPool.singleton.runIfActive {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ExportOutputError(description: "cannot create \(path)")
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw ExportOutputError(description: "cannot open \(path)") }
            return handle
        }
        let output = ExportOutput(handle: handle, closesHandle: true)
        do {
            let result = try await body(output)
            try await output.close()
            return result
        } catch {
            try? await output.close()
            throw error
        }
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let handle = handle
        try await threadPool.runIfActive { try handle.write(contentsOf: bytes) }
    }

    private func close() async throws {
        guard closesHandle else { return }
        let handle = handle
        try await threadPool.runIfActive {
            try handle.synchronize()
            try handle.close()
        }
    }
}

/// An export's output could not be opened.
public struct ExportOutputError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the path.
    public var description: String
}
