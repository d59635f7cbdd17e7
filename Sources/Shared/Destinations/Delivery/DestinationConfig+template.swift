extension DestinationConfig {
    /// A message template (`body`, `text`, `html`) exactly as written: unlike ``string(_:)-variadic``
    /// it is not trimmed, so a closing line break or a leading space reaches the lead. Nil when
    /// absent or only white space.
    func template(_ key: String) throws(DeliveryBuildError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw .configuration("\(kindName) config \(key) must be a string") }
        return text.allSatisfy(\.isWhitespace) ? nil : text
    }

    /// ``template(_:)``, required: else a configuration error naming the key.
    func requiredTemplate(_ key: String) throws(DeliveryBuildError) -> String {
        guard let text = try template(key) else { throw .configuration("\(kindName) destination has no \(key) in its config") }
        return text
    }
}
