import NIOConcurrencyHelpers
import Shared

/// Webhook sources by token, kept in memory so that a webhook does not read its source on every
/// request (at 500 webhooks/s that read was a fifth of the server's CPU per request).
///
/// A copy is never trusted on its own: leads are stored only if the write finds the source still
/// at the copy's revision, and any other outcome is decided with a freshly read source (see
/// ``WebhookIngestor/handle(_:source:region:secrets:sourceRevision:cached:replayOf:now:)``). The
/// lifetime only bounds how long an unused copy stays in memory.
final class PublicSourceCache: Sendable {
    /// A source with its opened secrets; `cached` when it came from the cache rather than the database.
    struct Entry: Sendable {
        var found: PublicSource
        var secrets: SourceSecrets
        var expires: ContinuousClock.Instant
        var cached = false
    }

    let lifetime: Duration
    let capacity: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// A cache keeping each copy for `lifetime`, at most `capacity` of them.
    init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The copy for `token`, unless there is none or it expired.
    func entry(for token: String, now: ContinuousClock.Instant = .now) -> Entry? {
        entries.withLockedValue { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    /// Keeps a copy of the source behind `token`; when full, expired copies go first, then all.
    func store(_ found: PublicSource, secrets: SourceSecrets, for token: String, now: ContinuousClock.Instant = .now) {
        entries.withLockedValue { entries in
            if entries[token] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(found: found, secrets: secrets, expires: now + lifetime)
        }
    }

    /// Forgets the copy for `token`.
    func remove(_ token: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: token) }
    }

    /// How many copies are kept.
    var count: Int { entries.withLockedValue { $0.count } }
}
