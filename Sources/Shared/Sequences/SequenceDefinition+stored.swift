import Foundation

extension SequenceDefinition {
    /// A definition as stored (`sequences.definition`, an enrollment's snapshot): every setting
    /// spelled out and destinations by id, so no tenant defaults or destination list are needed.
    public init(stored json: JSONValue) throws(SequenceDefinitionError) {
        try self.init(json: json, tenantTimeZone: .gmt, defaultSalesRules: false, destinations: nil)
    }

    /// A stored definition from its JSON text.
    public init(storedText text: String) throws(SequenceDefinitionError) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw SequenceDefinitionError(field: "", "the stored definition is not JSON")
        }
        try self.init(stored: json)
    }
}
