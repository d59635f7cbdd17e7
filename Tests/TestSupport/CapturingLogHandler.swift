import Logging
import Synchronization

/// A log handler that keeps every record, for asserting on what was logged.
public struct CapturingLogHandler: LogHandler {
    /// One logged line.
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    /// Where the lines go.
    public final class Store: Sendable {
        let records = Mutex<[Record]>([])
        /// Every line so far.
        public var all: [Record] { records.withLock { $0 } }
    }

    let store: Store
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { _, new in new }
        let record = Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        store.records.withLock { $0.append(record) }
    }

    /// A logger writing into a fresh store.
    public static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "capture") { _ in CapturingLogHandler(store: store) }, store)
    }
}
