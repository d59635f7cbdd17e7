import Logging

/// Wraps another handler (the text format's `StreamLogHandler`) and masks emails, phones and
/// secret-named values in the message and metadata first — the same rules as ``JSONLogHandler``,
/// so no log format writes personal data or credentials in clear.
public struct RedactingLogHandler: LogHandler {
    private var wrapped: any LogHandler

    /// Redacts what `wrapped` writes.
    public init(wrapping wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var redacted = event
        redacted.message = "\(LogRedaction.redact(event.message.description))"
        redacted.metadata = event.metadata.map { metadata in
            metadata.reduce(into: Logger.Metadata()) { result, pair in result[pair.key] = Self.redact(pair.value, key: pair.key) }
        }
        var handler = wrapped
        // Handler-level metadata (e.g. worker_id) is redacted too.
        handler.metadata = wrapped.metadata.reduce(into: Logger.Metadata()) { result, pair in
            result[pair.key] = Self.redact(pair.value, key: pair.key)
        }
        handler.log(event: redacted)
    }

    static func redact(_ value: Logger.Metadata.Value, key: String) -> Logger.Metadata.Value {
        switch value {
        case .string(let string): .string(LogRedaction.redact(string, key: key))
        case .stringConvertible(let convertible): .string(LogRedaction.redact(convertible.description, key: key))
        case .array(let values): .array(values.map { redact($0, key: key) })
        case .dictionary(let dictionary): .dictionary(dictionary.reduce(into: [:]) { $0[$1.key] = redact($1.value, key: $1.key) })
        }
    }
}
