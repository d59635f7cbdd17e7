import Foundation
import Logging
import PostgresNIO

/// Processes a stored webhook event again with its source's current mapping and secrets (after
/// fixing a mapping, or to recover leads of a failed event). The replay is recorded as a new
/// event pointing at the original; a Meta/monday event whose leads are fetched from the
/// provider gets its fetch job queued again instead. `leadctl events replay` and the dashboard
/// both use this; the caller enqueues the returned delivery ids.
public struct InboundEventReplay: Sendable {
    let postgres: PostgresClient
    let secretBox: SecretBox
    let logger: Logger

    /// Replays over `postgres`, opening source secrets with `secretBox`.
    public init(postgres: PostgresClient, secretBox: SecretBox, logger: Logger) {
        self.postgres = postgres
        self.secretBox = secretBox
        self.logger = logger
    }

    /// Why an event cannot be replayed.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Replays event `id` (within `tenantId` when given).
    public func replay(_ id: Int64, tenantId: UUID?) async throws -> WebhookIngestor.Answer {
        let store = InboundEventStore(client: postgres, logger: logger)
        let event = try await store.find(id, tenantId: tenantId)
        guard !["bad_signature", "too_large"].contains(event.outcome) else {
            throw Refusal(description: "event #\(id) is \(event.outcome): it was never verified or kept whole, so it cannot be replayed")
        }
        guard let sourceId = event.sourceId else { throw Refusal(description: "event #\(id) has no source") }
        let sources = SourceStore(client: postgres, logger: logger)
        let source = try await sources.find(sourceId.uuidString, tenantId: tenantId)
        let tenant = try await TenantStore(client: postgres, logger: logger).find(source.tenantId.uuidString)
        let secrets = try SourceSecrets.open(try await sources.sealedSecrets(sourceId: sourceId), with: secretBox)
        let request = WebhookRequest(method: event.method, headers: event.headers, contentType: event.contentType, body: event.body)
        if case .fetch? = try? WebhookInterpreter.interpret(request, source: source, secrets: secrets, now: event.receivedAt, verify: false) {
            try await store.refetch(id)
            return WebhookIngestor.Answer(
                status: 200,
                contentType: "text/plain",
                body: Array("fetch queued again for event #\(id)".utf8),
                eventId: id,
                deliveryIds: []
            )
        }
        return try await WebhookIngestor(postgres: postgres, logger: logger)
            .handle(request, source: source, region: tenant.defaultRegion, secrets: secrets, replayOf: id, now: event.receivedAt)
    }
}
