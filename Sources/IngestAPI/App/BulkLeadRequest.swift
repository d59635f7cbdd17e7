import Foundation
import Hummingbird
import Shared

/// A decoded `POST /api/leads[/bulk]` body: `{"leads": […], "source": …}`, a bare array, or (for
/// `/api/leads`) one lead object.
struct BulkLeadRequest {
    static let maximumLeads = 10_000
    static let maximumBytes = 10 * 1024 * 1024

    var items: [JSONValue]
    var source: String?
    /// Positions of items with a NUL character (U+0000) in a key or a string: PostgreSQL cannot
    /// store it in text, so these items are rejected (the others are not).
    var itemsWithNUL: [Int] = []

    /// The result of an item in ``itemsWithNUL``.
    static let nulIssue = FieldIssue(field: "lead", message: "contains a NUL character (U+0000), which cannot be stored")

    /// Parses `body`; `single` accepts one bare lead object.
    init(body: Data, single: Bool) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON: \(error.description)")
        }
        switch value {
        case .array(let items):
            self.items = items
        case .object(let object):
            if case .array(let items)? = object["leads"] {
                self.items = items
                self.source = object["source"]?.scalarText
            } else if single {
                var lead = object
                self.source = lead.removeValue(forKey: "source")?.scalarText
                self.items = [.object(lead)]
            } else {
                throw APIError(.unprocessableContent, code: "invalid_body", message: #"expected {"leads": [...]} or a JSON array of leads"#)
            }
        default:
            throw APIError(.unprocessableContent, code: "invalid_body", message: #"expected {"leads": [...]} or a JSON array of leads"#)
        }
        if items.isEmpty {
            throw APIError(.unprocessableContent, code: "no_leads", message: "the request contains no leads")
        }
        if items.count > Self.maximumLeads {
            throw APIError(
                .contentTooLarge,
                code: "too_many_leads",
                message: "\(items.count) leads in one request; the limit is \(Self.maximumLeads) (split the batch)"
            )
        }
        itemsWithNUL = items.indices.filter { Self.containsNUL(items[$0]) }
    }

    /// Whether `value` holds U+0000 in any string or object key.
    static func containsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let elements): elements.contains(where: containsNUL)
        case .object(let object): object.contains { $0.key.utf8.contains(0) || containsNUL($0.value) }
        case .null, .bool, .number: false
        }
    }
}
