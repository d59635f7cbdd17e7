extension MondayPayload {
    /// What a monday.com webhook POST asks for.
    public enum Event: Sendable, Hashable {
        /// The subscription handshake `{"challenge": "…"}`: answer 200 with the same JSON.
        case challenge(String)
        /// An item was created (`create_pulse`); `columnValues` is often empty (fetch the item then).
        case createPulse(boardId: Int64, pulseId: Int64, name: String, columnValues: [String: JSONValue])
        /// Any other event type (recorded as ignored).
        case other(type: String)
    }
}
