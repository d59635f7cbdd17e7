import Foundation

/// Finds the destinations a sequence names: by name or id among the tenant's when a user saves
/// it, or as written (`destination_id` and its name) when a stored definition is read.
struct SequenceDestinationResolver {
    /// The tenant's destinations; nil when reading a stored definition.
    let destinations: [Destination]?

    /// The destination `value` (an object with `destination` and/or `destination_id`, or a
    /// string) names, at `path`.
    func resolve(_ value: JSONValue, path: String) throws(SequenceDefinitionError) -> (id: UUID, name: String) {
        switch value {
        case .string(let text): return try resolve(name: text, id: nil, path: path)
        case .object(let members):
            func text(_ key: String) -> String? {
                if case .string(let text)? = members[key] { return text }
                return nil
            }
            return try resolve(name: text("destination"), id: text("destination_id"), path: path)
        default: throw SequenceDefinitionError(field: path, "must name a destination")
        }
    }

    /// The destination named `name` or with id `idText`, members `nameKey` and `idKey` of the
    /// object at `path`.
    func resolve(
        name: String?,
        id idText: String?,
        path: String,
        nameKey: String = "destination",
        idKey: String = "destination_id"
    ) throws(SequenceDefinitionError) -> (id: UUID, name: String) {
        guard let destinations else {
            guard let idText, let id = UUID(uuidString: idText) else {
                throw SequenceDefinitionError(field: path + "." + idKey, "a stored definition must hold the destination's id")
            }
            return (id, name ?? idText)
        }
        let field = path + "." + nameKey
        // The id first: a definition read back for editing names each destination by id and by the
        // name it had when saved, which a rename since has changed.
        if let idText, let byId = destinations.first(where: { $0.id.uuidString.lowercased() == idText.lowercased() }) {
            return (byId.id, byId.name)
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
