import Foundation
import Synchronization

extension GoogleTokenEndpoint {
    /// Whether `token` works at the Sheets stand-in: issued here (or ``accept(_:for:)``ed), not
    /// expired, not revoked.
    public func isValid(_ token: String, at now: Date = Date()) -> Bool {
        state.withLock { state in state.validUntil[token].map { now < $0 } ?? false }
    }

    /// The tokens issued so far that still work, in no particular order.
    public var validTokens: [String] {
        let now = Date()
        return state.withLock { state in state.validUntil.filter { now < $0.value }.map(\.key) }
    }

    /// Makes `token` stop working now (Google answers 401 for it from here on): an expired or
    /// revoked token.
    public func expire(_ token: String) {
        state.withLock { state in
            if state.validUntil[token] != nil { state.validUntil[token] = .distantPast }
        }
    }

    /// Makes every token issued so far stop working (the next read with one gets 401).
    public func expireAll() {
        state.withLock { state in
            for token in state.validUntil.keys { state.validUntil[token] = .distantPast }
        }
    }

    /// Makes `token` work for `seconds` from now without an exchange (e.g. the token of a
    /// scripted answer queued with ``enqueue(_:)``).
    public func accept(_ token: String, for seconds: TimeInterval = 3_599) {
        state.withLock { $0.validUntil[token] = Date(timeIntervalSinceNow: seconds) }
    }
}
