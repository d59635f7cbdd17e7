import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A `LogHandler` that writes one JSON object per line to standard output:
/// `{"ts":"…","level":"info","logger":"web","msg":"…", <metadata>…}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    /// Creates a handler for the logger `label`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\",\"logger\":"
        Self.appendJSONString(label, to: &line)
        line += ",\"msg\":"
        Self.appendJSONString(LogRedaction.redact("\(event.message)"), to: &line)
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line += ","
            Self.appendJSONString(key, to: &line)
            line += ":"
            Self.appendJSONValue(value, key: key, to: &line)
        }
        if event.level >= .error {
            line += ",\"source\":"
            Self.appendJSONString("\(event.file):\(event.line)", to: &line)
        }
        line += "}\n"
        Self.write(line)
    }

    private static func write(_ line: String) {
        var line = line
        // One write(2) per line keeps lines from different threads whole.
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    private static func appendJSONValue(_ value: Logger.Metadata.Value, key: String, to line: inout String) {
        switch value {
        case .string(let string): appendJSONString(LogRedaction.redact(string, key: key), to: &line)
        case .stringConvertible(let convertible): appendJSONString(LogRedaction.redact(convertible.description, key: key), to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSONValue(element, key: key, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, nested) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                appendJSONString(nested, to: &line)
                line += ":"
                if let element = dictionary[nested] { appendJSONValue(element, key: nested, to: &line) } else { line += "null" }
            }
            line += "}"
        }
    }

    /// Appends `string` as a quoted, escaped JSON string.
    static func appendJSONString(_ string: String, to line: inout String) {
        line += "\""
        line += JSONStringEscaping.escaped(string)
        line += "\""
    }
}
