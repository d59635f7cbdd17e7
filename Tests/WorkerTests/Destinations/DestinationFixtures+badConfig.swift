import Foundation
import Shared
import Testing

/// A change to a destination's config that must be refused when it is saved, and a piece of the
/// reason the refusal must give.
struct BadConfig: Sendable, CustomTestStringConvertible {
    /// Keys to set (nil removes the key).
    var change: [String: JSONValue?]
    /// What the reason must contain.
    var message: String
    var testDescription: String { message }
}

extension DestinationFixtures {
    /// Expects `kind`'s adapter to refuse `base` changed by `example` with a `configuration` error
    /// whose reason contains the example's message.
    static func expectRefused(_ example: BadConfig, kind: DestinationKind, base: [String: JSONValue]) throws {
        var config = base
        for (key, value) in example.change { config[key] = value }
        let adapter = try #require(DestinationRegistry.adapter(for: kind))
        do {
            try adapter.validate(config: config)
            Issue.record("accepted \(config)")
        } catch {
            #expect(error.errorClass == .configuration)
            #expect(error.reason.contains(example.message), "\(error.reason)")
        }
    }
}
