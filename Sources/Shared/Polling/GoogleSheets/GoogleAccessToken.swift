import Foundation

/// An OAuth access token for Google APIs (sent as `Authorization: Bearer …`). Its description
/// shows when it expires, never the token.
public struct GoogleAccessToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The token itself: a credential, never logged.
    public let value: String
    /// When Google said it expires (the exchange's start + `expires_in`).
    public let expiresAt: Date

    /// A token `value` expiring at `expiresAt`.
    public init(value: String, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }

    /// The `Authorization` header's value.
    public var authorizationHeader: String { "Bearer \(value)" }

    public var description: String { "Google access token (redacted), expires \(expiresAt)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["value": "<redacted>", "expiresAt": expiresAt]) }
}
