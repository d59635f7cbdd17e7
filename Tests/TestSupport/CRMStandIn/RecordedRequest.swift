import Foundation
import Shared

/// One request a ``CRMStandIn`` received, exactly as sent.
public struct RecordedRequest: Sendable {
    /// `POST`, `PUT`…
    public var method: String
    /// The path without the query.
    public var path: String
    /// The query string, without `?`.
    public var query: String?
    /// Headers in the order received.
    public var headers: [(name: String, value: String)]
    /// The raw body.
    public var body: [UInt8]
    /// What the stand-in's OpenAPI validator found wrong with the request (empty: valid or not validated).
    public var violations: [String]
    /// When the stand-in received the request head.
    public var receivedAt: Date

    /// Creates a record.
    public init(
        method: String,
        path: String,
        query: String?,
        headers: [(name: String, value: String)],
        body: [UInt8],
        violations: [String] = [],
        receivedAt: Date = Date()
    ) {
        self.receivedAt = receivedAt
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.violations = violations
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object; nil when it is not one.
    public var jsonObject: [String: JSONValue]? {
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else { return nil }
        return members
    }
}
