import Foundation

/// When a JSON-over-HTTP destination's answer counts as delivered, and where its id for the
/// lead is. Config: `success_statuses` (list of codes or classes such as `"2xx"`; default 2xx),
/// `success_match` (`{"<dotted path>": <value>}` the response JSON must contain, e.g.
/// `{"status": "ok"}`), `external_id_path` (dotted path of the id in the response; default:
/// the first of `id`, `lead_id`, `leadId`, `contact.id`, `data.id`, `result.id`).
struct JSONHTTPSuccessRules: Sendable {
    /// Where ids are looked for when `external_id_path` is not set.
    static let defaultIdPaths = ["id", "lead_id", "leadId", "contact.id", "data.id", "result.id"]

    /// Statuses that count as delivered.
    var statuses: [StatusRule]
    /// Values the response JSON must hold, by dotted path.
    var match: [String: JSONValue]
    /// Where the destination's id for the lead is looked for, in order.
    var externalIdPaths: [String]

    /// One accepted status code or class.
    enum StatusRule: Sendable, Hashable {
        case exactly(Int)
        case hundred(Int)

        /// Whether `status` is covered.
        func matches(_ status: Int) -> Bool {
            switch self {
            case .exactly(let code): status == code
            case .hundred(let first): status / 100 == first
            }
        }
    }

    /// Defaults (2xx, no match, the default id paths); used for Momence answers too.
    init() {
        statuses = [.hundred(2)]
        match = [:]
        externalIdPaths = Self.defaultIdPaths
    }

    /// The rules in `config`; malformed `success_statuses` are a configuration error.
    init(_ config: DestinationConfig) throws(DeliveryBuildError) {
        self.init()
        let listed = try config.strings("success_statuses", "successStatuses")
        if !listed.isEmpty {
            statuses = []
            for entry in listed {
                let text = entry.lowercased()
                if text.count == 3, text.hasSuffix("xx"), let first = Int(text.prefix(1)), (1...5).contains(first) {
                    statuses.append(.hundred(first))
                } else if let code = Int(text), (100...599).contains(code) {
                    statuses.append(.exactly(code))
                } else {
                    throw .configuration("\(config.kindName) config success_statuses has \(entry); use codes like 200 or classes like 2xx")
                }
            }
        }
        match = try config.object("success_match", "successMatch")
        if let path = try config.string("external_id_path", "externalIdPath") { externalIdPaths = [path] }
    }

    /// Whether `status` is one of the success statuses.
    func accepts(status: Int) -> Bool { statuses.contains { $0.matches(status) } }

    /// The first `success_match` entry the response fails, as `path` → expected; nil when all hold.
    func failedMatch(in response: JSONValue?) -> (path: String, expected: JSONValue)? {
        for path in match.keys.sorted() {
            guard let expected = match[path] else { continue }
            if response.flatMap({ JSONPath.value(in: $0, at: path) }) != expected { return (path, expected) }
        }
        return nil
    }

    /// The destination's id for the lead in `response`, if any.
    func externalId(in response: JSONValue?) -> String? {
        guard let response else { return nil }
        for path in externalIdPaths {
            if let text = JSONPath.value(in: response, at: path)?.scalarText, !text.isEmpty { return text }
        }
        return nil
    }
}
