import Shared

extension JSONValue {
    /// The value as compact JSON text (keys sorted).
    public var compactJSONText: String {
        var bytes: [UInt8] = []
        writeJSON(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
