import Foundation
import TestSupport

/// Reads `../shared/fixtures/webhooks/*`.
enum WebhookFixture {
    static var directory: URL { TestEnvironment.fixtures.appendingPathComponent("webhooks") }

    /// The file's bytes exactly as stored.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The file as text without its trailing newline (secrets, signatures).
    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A `Name: value` per line file as a dictionary keyed by lower-cased name.
    static func headers(_ name: String) throws -> [String: String] {
        var headers: [String: String] = [:]
        for line in try text(name).split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}
