/// Why migrations could not be applied. Each case reads as one clear line.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case directoryUnreadable(String)
    case badFileName(String)
    case notUTF8(String)
    case duplicateVersion(Int)
    case checksumMismatch(name: String, applied: String, onDisk: String)
    case failed(name: String, reason: String)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path):
            "migrations: cannot read \(path) (set MIGRATIONS_DIR to the folder of NNNN_name.sql files)"
        case .badFileName(let name):
            "migrations: \(name) is not named NNNN_name.sql"
        case .notUTF8(let name):
            "migrations: \(name) is not UTF-8 text"
        case .duplicateVersion(let version):
            "migrations: two files share version \(version)"
        case .checksumMismatch(let name, let applied, let onDisk):
            "migrations: \(name) was edited after it was applied (checksum \(applied.prefix(12)) in the database, \(onDisk.prefix(12)) on disk); add a new migration instead"
        case .failed(let name, let reason):
            "migrations: \(name) failed: \(reason)"
        }
    }
}
