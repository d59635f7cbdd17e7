import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared

/// `POST /hooks/{token}` (and `GET` for Meta's verification): one endpoint per webhook source.
/// Every request is recorded in `inbound_events`; the answer is sent after the COMMIT and the
/// new deliveries are enqueued after it.
struct WebhooksController: Sendable {
    /// Largest webhook body accepted; larger ones get 413 and a recorded stub.
    static let maximumBytes = 1024 * 1024
    /// How much of an oversized body is kept with its stub.
    static let stubBytes = 4 * 1024

    let stores: DataStores
    /// Where webhook leads are written (the group commit shared with the lead API and forms).
    let intake: LeadIntake
    let enqueuer: DeliveryEnqueuer
    let secretBox: SecretBox
    let sources: PublicSourceCache
    /// `PUBLIC_BASE_URL`: with `/hooks/<token>`, the URL a Twilio signature covers by default.
    let publicBaseURL: String?
    let logger: Logger

    /// How often a request is handled again when its source keeps changing underneath it.
    static let maximumSourceReads = 3

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("hooks/{token}") { request, context in try await handle(request, context: context) }
        router.get("hooks/{token}") { request, context in try await handle(request, context: context) }
    }

    private func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        var current = try await source(token)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var query: [String: String] = [:]
        for (key, value) in LeadsController.formDecodedQuery(request) { query[key] = value }
        let contentType = request.headers[.contentType]

        // Read at most the limit; an oversized body is answered 413 and recorded as a stub.
        var body = ByteBuffer()
        var size = 0
        var tooLarge = false
        for try await chunk in request.body {
            size += chunk.readableBytes
            if size > Self.maximumBytes { tooLarge = true }
            if !tooLarge || body.readableBytes < Self.stubBytes {
                var chunk = chunk
                body.writeBuffer(&chunk)
            }
        }
        let webhook = WebhookRequest(
            method: request.method.rawValue,
            query: query,
            headers: headers,
            contentType: contentType,
            body: Array(body.readableBytesView.prefix(tooLarge ? Self.stubBytes : Int.max)),
            rawQuery: request.uri.query,
            publicURL: publicBaseURL.map { "\($0)/hooks/\(token)" }
        )
        if tooLarge {
            if current.cached { current = try await source(token, cached: false) }
            let source = current.found.source
            var event = Self.refusedEvent(
                webhook,
                source: source,
                outcome: "too_large",
                reason: "body of \(size) bytes is over the \(Self.maximumBytes / 1024 / 1024) MB webhook limit"
            )
            event.bodySize = size
            event.bodyTruncated = true
            try await record(event)
            throw APIError(
                .contentTooLarge,
                code: "payload_too_large",
                message: "webhook bodies are limited to \(Self.maximumBytes / 1024 / 1024) MB"
            )
        }
        let answer: WebhookIngestor.Answer
        do {
            answer = try await ingest(webhook, token: token, current: current)
        } catch let error where Self.isUnstorableText(error) {
            let source = current.found.source
            // A value holding U+0000 (JSON `\u0000`, form `%00`): PostgreSQL text cannot store it, so
            // the request is refused like any other unusable body, and recorded without its leads.
            let reason = "the body holds a NUL character (U+0000), which cannot be stored"
            try await record(Self.refusedEvent(webhook, source: source, outcome: "rejected", reason: reason))
            throw APIError(.unprocessableContent, code: "rejected", message: reason)
        }
        enqueuer.submit(answer.deliveryIds)
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: answer.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    /// The event row for a request refused before its leads were read: stored as received, with why.
    private static func refusedEvent(_ webhook: WebhookRequest, source: Source, outcome: String, reason: String) -> InboundEventStore.NewEvent {
        InboundEventStore.NewEvent(
            tenantId: source.tenantId,
            sourceId: source.id,
            method: webhook.method,
            contentType: webhook.contentType,
            headers: webhook.recordableHeaders,
            body: webhook.body,
            outcome: outcome,
            reason: reason
        )
    }

    private func record(_ event: InboundEventStore.NewEvent) async throws {
        try await withDatabaseTimeLimit { [stores, logger] in
            _ = try await InboundEventStore(client: stores.postgres, logger: logger).record(event)
        }
    }

    /// Handles `webhook` with the copy of its source in `current`, reading the source again (and
    /// handling the request again) while the copy turns out not to be current.
    private func ingest(_ webhook: WebhookRequest, token: String, current: PublicSourceCache.Entry) async throws -> WebhookIngestor.Answer {
        var current = current
        for read in 1...Self.maximumSourceReads {
            do {
                return try await withDatabaseTimeLimit { [intake, logger, current] in
                    try await WebhookIngestor(intake: intake, logger: logger).handle(
                        webhook,
                        source: current.found.source,
                        region: current.found.tenantRegion,
                        secrets: current.secrets,
                        sourceRevision: current.found.revision,
                        cached: current.cached
                    )
                }
            } catch is StaleSourceError {
                guard read < Self.maximumSourceReads else { break }
                current = try await source(token, cached: false)
            }
        }
        throw APIError(.serviceUnavailable, code: "source_changing", message: "this webhook's settings are being changed; try again")
    }

    /// The enabled webhook source behind `token` with its opened secrets: the cached copy when
    /// `cached` allows and there is one, else read now (and cached). 404 when there is none.
    private func source(_ token: String, cached: Bool = true) async throws -> PublicSourceCache.Entry {
        if cached, var entry = sources.entry(for: token) {
            entry.cached = true
            return entry
        }
        sources.remove(token)
        guard (20...128).contains(token.count),
            let found = try await SourceStore(client: stores.postgres, logger: logger).findPublic(token: token),
            found.source.kind == .webhook, found.source.enabled
        else {
            throw APIError(.notFound, code: "not_found", message: "no webhook at this address")
        }
        let secrets = try SourceSecrets.open(found.sealedSecrets, with: secretBox)
        sources.store(found, secrets: secrets, for: token)
        return PublicSourceCache.Entry(found: found, secrets: secrets, expires: .now, cached: false)
    }

    /// Whether `error` is PostgreSQL refusing a text or JSON value it cannot store (U+0000).
    static func isUnstorableText(_ error: any Error) -> Bool {
        DatabaseFailure(error) == .unstorableText
    }
}
