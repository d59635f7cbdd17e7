import Foundation

/// Python's `csv` module — the standard library's reader, Excel dialect, strict — run on a file,
/// so tests check LeadRelay's CSV output with a reader that is not LeadRelay's own.
/// `python3` must be on `PATH` (`scripts/test` installs it on Debian).
public enum StandardCSVReader {
    /// python3 could not be started or refused the file.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static let script = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8-sig') as source:
            rows = list(csv.reader(source, dialect='excel', strict=True))
        with open(sys.argv[2], 'w', encoding='utf-8') as out:
            json.dump(rows, out)
        """

    /// The rows of `bytes` (UTF-8, with or without a BOM) as `csv.reader` reads them.
    public static func rows(of bytes: some Sequence<UInt8>) async throws -> [[String]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("standard-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.csv")
        let output = directory.appendingPathComponent("rows.json")
        let errors = directory.appendingPathComponent("stderr.txt")
        try Data(bytes).write(to: input)
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw Failure(description: "cannot create \(errors.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, input.path, output.path]
        process.standardError = try FileHandle(forWritingTo: errors)
        // Waits for the exit without blocking a thread of the cooperative pool.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: Failure(description: "cannot start python3: \(error)"))
            }
        }
        guard status == 0 else {
            let message = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
            throw Failure(description: "python3's csv reader refused the file (exit \(status)): \(message)")
        }
        return try JSONDecoder().decode([[String]].self, from: Data(contentsOf: output))
    }
}
