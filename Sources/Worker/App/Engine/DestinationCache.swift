import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization

/// Destinations with their decrypted secrets, cached for a short time so a burst of deliveries
/// costs one lookup per destination, while edits (a new token, dry-run switched off) still reach
/// running workers within ``timeToLive``.
final class DestinationCache: Sendable {
    /// A destination and its secret in clear (memory only; never logged).
    struct Entry: Sendable {
        var destination: Destination
        /// The adapter for the destination's kind, resolved once per load (nil: no adapter serves it).
        var adapter: (any DestinationAdapter)?
        var secret: String?
        var loadedAt: ContinuousClock.Instant
    }

    let timeToLive: Duration
    private let client: PostgresClient
    private let secretBox: SecretBox
    private let logger: Logger
    private let entries = Mutex<[UUID: Entry]>([:])

    init(client: PostgresClient, secretBox: SecretBox, logger: Logger, timeToLive: Duration = .seconds(30)) {
        self.client = client
        self.secretBox = secretBox
        self.logger = logger
        self.timeToLive = timeToLive
    }

    /// Marks a cached destination suspended at once, so this worker's next deliveries to it wait
    /// without calling (other workers see it within ``timeToLive``).
    func markSuspended(_ id: UUID, reason: String) {
        entries.withLock { entries in
            entries[id]?.destination.suspendedAt = Date()
            entries[id]?.destination.suspendedReason = reason
        }
    }

    /// Whether this worker knows the destination to be suspended (checked again after a
    /// rate-limit wait, during which another delivery may have found the credential refused).
    func isSuspended(_ id: UUID) -> Bool {
        entries.withLock { $0[id]?.destination.suspendedAt != nil }
    }

    /// The destination and its secret, or nil when it no longer exists.
    func entry(_ id: UUID) async throws -> Entry? {
        let now = ContinuousClock.now
        if let cached = entries.withLock({ $0[id] }), now - cached.loadedAt < timeToLive {
            return cached
        }
        let store = DestinationStore(client: client, logger: logger)
        let destination: Destination
        do {
            destination = try await store.find(id.uuidString, tenantId: nil)
        } catch StoreError.notFound {
            _ = entries.withLock { $0.removeValue(forKey: id) }
            return nil
        }
        var secret: String?
        if destination.hasSecret, let sealed = try await store.sealedSecret(destinationId: id) {
            do {
                secret = try secretBox.open(sealed)
            } catch {
                logger.error(
                    "destination secret cannot be decrypted with the configured keys",
                    metadata: ["destination_id": .id(id)]
                )
            }
        }
        let entry = Entry(
            destination: destination,
            adapter: DestinationRegistry.adapter(for: destination.kind),
            secret: secret,
            loadedAt: now
        )
        entries.withLock { $0[id] = entry }
        return entry
    }
}
