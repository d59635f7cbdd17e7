import Foundation

/// Finds the destinations a sequence names: by name or id among the tenant's when a user saves
/// it, or as written (`destination_id` and its name) when a stored definition is read.
struct SequenceDestinationResolver {
    /// The tenant's destinations; nil when reading a stored definition.
    let destinations: [Destination]?

    /// The destination `value` (an object with `destination` and/or `destination_id`, or a
    /// string) names, at `path`; `nameKey` is what the name member is called in messages.
    func resolve(_ value: JSONValue, path: String, nameKey: String = "destination") throws(SequenceDefinitionError) -> (id: UUID, name: String) {
        var name: String?
        var idText: String?
        switch value {
        case .string(let text): name = text
        case .object(let members):
            if case .string(let text)? = members["destination"] { name = text }
            if case .string(let text)? = members["destination_id"] { idText = text }
        default: throw SequenceDefinitionError(field: path, "must name a destination")
        }
        let field = path + "." + nameKey
        guard let destinations else {
            guard let idText, let id = UUID(uuidString: idText) else {
                throw SequenceDefinitionError(field: path + ".destination_id", "a stored definition must hold the destination's id")
            }
            return (id, name ?? idText)
        }
        guard let reference = name ?? idText, !reference.isEmpty else { throw SequenceDefinitionError(field: field, "is required") }
        let found = destinations.first { $0.id.uuidString.lowercased() == reference.lowercased() || $0.name == reference }
        guard let destination = found else {
            let known = destinations.map(\.name).sorted().prefix(20).joined(separator: ", ")
            throw SequenceDefinitionError(field: field, "no destination \(reference.debugDescription) in this tenant; its destinations: \(known)")
        }
        return (destination.id, destination.name)
    }
}
