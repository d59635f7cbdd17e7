import Foundation

/// Lead values for GoHighLevel custom fields, from the destination's `custom_fields` config:
/// `{"<lead field or extra key>": "<custom field id>"}`. Scalars are sent as text and lists as
/// lists of text (the shapes the v2 spec's text/select/checkbox fields accept); missing values
/// are left out.
enum GHLCustomFields {
    /// One custom field's id and value.
    struct Value: Sendable, Hashable {
        var id: String
        var value: JSONValue
    }

    /// The mapped values, ordered by field id.
    static func values(for lead: DeliveryLead, config: DestinationConfig) throws(DeliveryBuildError) -> [Value] {
        guard let map = try config.stringMap("custom_fields", "customFields") else { return [] }
        var values: [Value] = []
        for (field, id) in map {
            guard !id.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .configuration("GoHighLevel config custom_fields.\(field) needs a custom field id")
            }
            guard let value = lead.value(forField: field).flatMap(fieldValue) else { continue }
            values.append(Value(id: id, value: value))
        }
        return values.sorted { $0.id < $1.id }
    }

    /// A lead value in a shape GoHighLevel's custom fields accept; nil for nulls and objects.
    static func fieldValue(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string, .number, .bool: value.scalarText.map(JSONValue.string)
        case .array(let items):
            items.isEmpty ? nil : .array(items.compactMap { $0.scalarText.map(JSONValue.string) })
        case .null, .object: nil
        }
    }
}
