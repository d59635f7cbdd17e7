/// A sequence definition (or a part of it: a window, a delay) that cannot be used: the field and
/// what is wrong, e.g. `window.start: 25:00 is not a time like 08:00`.
public struct SequenceDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the definition: `time_zone`, `window.days`, `steps[1].after`.
    public var field: String
    /// What is wrong with it.
    public var message: String

    /// `field` is wrong: `message`.
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
