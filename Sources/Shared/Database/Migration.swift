import Crypto
import Foundation

/// One `migrations/NNNN_name.sql` file.
public struct Migration: Sendable, Equatable {
    /// The number in the file name (`1` for `0001_schema_v1.sql`).
    public var version: Int
    /// The file name without `.sql`.
    public var name: String
    /// The SQL text.
    public var sql: String
    /// Hex SHA-256 of the file's bytes; an applied migration whose file changed stops startup.
    public var checksum: String

    /// Creates a migration from its file name and contents.
    public init(fileName: String, contents: Data) throws(MigrationError) {
        guard fileName.hasSuffix(".sql") else { throw .badFileName(fileName) }
        let base = String(fileName.dropLast(4))
        let digits = base.prefix(while: \.isNumber)
        guard digits.count == 4, let version = Int(digits), version > 0,
            base.dropFirst(4).first == "_", base.count > 5
        else { throw .badFileName(fileName) }
        guard let sql = String(data: contents, encoding: .utf8) else { throw .notUTF8(fileName) }
        self.version = version
        self.name = base
        self.sql = sql
        self.checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }

    /// All migrations in `directory`, sorted by version; rejects stray or duplicate numbers.
    public static func load(from directory: String) throws(MigrationError) -> [Migration] {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw .directoryUnreadable(url.path)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else {
                throw .directoryUnreadable(url.appendingPathComponent(name).path)
            }
            migrations.append(try Migration(fileName: name, contents: data))
        }
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw .duplicateVersion(migration.version)
        }
        return migrations.sorted { $0.version < $1.version }
    }
}
