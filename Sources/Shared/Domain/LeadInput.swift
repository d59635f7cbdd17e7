/// One lead as it arrived, after its keys were mapped to ``LeadField``s but before any value was
/// cleaned. Produced by every input path (bulk JSON, forms, CSV rows, webhooks).
public struct LeadInput: Sendable, Hashable {
    /// Values of the known fields as received.
    public var fields: [LeadField: String]
    /// Every other key, kept verbatim.
    public var extra: [String: JSONValue]
    /// The payload as received, stored with the lead for the operator to see.
    public var raw: JSONValue?

    /// Creates an input from already-mapped parts.
    public init(fields: [LeadField: String] = [:], extra: [String: JSONValue] = [:], raw: JSONValue? = nil) {
        self.fields = fields
        self.extra = extra
        self.raw = raw
    }

    /// Maps a flat JSON object: keys named in `fieldMap` go where the map says (a ``LeadField`` raw
    /// value, or `extra.<name>`), then known aliases become fields, and the rest lands in `extra`.
    public init(object: [String: JSONValue], fieldMap: [String: String] = [:], keepRaw: Bool = true) {
        self.init(raw: keepRaw ? .object(object) : nil)
        // Sorted so that which of two aliases of one field wins does not depend on hashing.
        for key in object.keys.sorted() {
            if let value = object[key] { assign(key: key, value: value, fieldMap: fieldMap) }
        }
    }

    /// Adds one key/value pair using the same rules as ``init(object:fieldMap:keepRaw:)``.
    public mutating func assign(key: String, value: JSONValue, fieldMap: [String: String] = [:]) {
        if let target = fieldMap[key] {
            if let field = LeadField(rawValue: target) {
                setField(field, value, originalKey: key)
            } else {
                let name = target.hasPrefix("extra.") ? String(target.dropFirst(6)) : target
                extra[name] = value
            }
        } else if let field = LeadField(alias: key) {
            setField(field, value, originalKey: key)
        } else {
            extra[key] = value
        }
    }

    private mutating func setField(_ field: LeadField, _ value: JSONValue, originalKey: String) {
        guard let text = value.scalarText else {
            if value != .null { extra[originalKey] = value }
            return
        }
        // Two keys aliasing one field ("phone" and "mobile"): keep the first non-empty, the other in extra.
        if let existing = fields[field], !existing.isEmpty {
            extra[originalKey] = value
        } else {
            fields[field] = text
        }
    }
}
