extension DestinationAdapter {
    /// The checks every kind shares: no key outside ``configFields``, each value of its field's
    /// shape, required fields present.
    ///
    /// - Throws: ``DeliveryBuildError`` (`configuration`) naming the first field at fault.
    public func validateFields(_ config: [String: JSONValue]) throws(DeliveryBuildError) {
        let known = Set(configFields.flatMap(\.spellings))
        if let unknown = config.keys.sorted().first(where: { !known.contains($0) }) {
            let names = configFields.map(\.name).joined(separator: ", ")
            throw .configuration("\(displayName) config has no field \(unknown); it takes \(names.isEmpty ? "none" : names)")
        }
        let reader = DestinationConfig(config, kindName: displayName)
        for field in configFields {
            let keys = field.spellings
            switch field.shape {
            case .string: _ = try reader.string(keys)
            case .integer: _ = try reader.integer(keys)
            case .strings: _ = try reader.strings(keys)
            case .object: _ = try reader.object(keys)
            case .stringMap: _ = try reader.stringMap(keys)
            case .boolean: _ = try reader.boolean(keys)
            }
            if field.isRequired && field.shape == .strings {
                // A required list needs an item; the other shapes are read as text.
                guard try !reader.strings(keys).isEmpty else { throw .configuration("\(displayName) destination has no \(keys[0]) in its config") }
            } else if field.isRequired {
                _ = try reader.requiredString(keys)
            }
        }
    }
}
