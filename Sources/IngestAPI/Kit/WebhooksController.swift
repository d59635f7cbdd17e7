import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
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
    let enqueuer: DeliveryEnqueuer
    let secretBox: SecretBox
    let logger: Logger

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("hooks/{token}") { request, context in try await handle(request, context: context) }
        router.get("hooks/{token}") { request, context in try await handle(request, context: context) }
    }

    private func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let found = try await DatabaseAvailability.guarding { [stores, logger] () -> PublicSource? in
            guard (20...128).contains(token.count),
                  let found = try await SourceStore(client: stores.postgres, logger: logger).findPublic(token: token),
                  found.source.kind == .webhook, found.source.enabled else { return nil }
            return found
        }
        guard let found else {
            throw APIError(.notFound, code: "not_found", message: "no webhook at this address")
        }
        let source = found.source
        let secrets = try SourceSecrets.open(found.sealedSecrets, with: secretBox)
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
        let webhook = WebhookRequest(method: request.method.rawValue, query: query, headers: headers, contentType: contentType,
                                     body: Array(body.readableBytesView.prefix(tooLarge ? Self.stubBytes : Int.max)))
        if tooLarge {
            let event = InboundEventStore.NewEvent(
                tenantId: source.tenantId, sourceId: source.id, method: webhook.method, contentType: contentType,
                headers: webhook.recordableHeaders, body: webhook.body, bodySize: size, bodyTruncated: true, outcome: "too_large",
                reason: "body of \(size) bytes is over the \(Self.maximumBytes / 1024 / 1024) MB webhook limit")
            try await DatabaseAvailability.guarding { [stores, logger] in
                _ = try await InboundEventStore(client: stores.postgres, logger: logger).record(event)
            }
            throw APIError(.contentTooLarge, code: "payload_too_large", message: "webhook bodies are limited to \(Self.maximumBytes / 1024 / 1024) MB")
        }
        let answer: WebhookIngestor.Answer
        do {
            answer = try await DatabaseAvailability.guarding { [stores, logger] in
                try await WebhookIngestor(postgres: stores.postgres, logger: logger)
                    .handle(webhook, source: source, region: found.tenantRegion, secrets: secrets)
            }
        } catch let error where Self.isUnstorableText(error) {
            // A value holding U+0000 (JSON `\u0000`, form `%00`): PostgreSQL text cannot store it, so
            // the request is refused like any other unusable body, and recorded without its leads.
            let reason = "the body holds a NUL character (U+0000), which cannot be stored"
            let event = InboundEventStore.NewEvent(
                tenantId: source.tenantId, sourceId: source.id, method: webhook.method, contentType: contentType,
                headers: webhook.recordableHeaders, body: webhook.body, outcome: "rejected", reason: reason)
            try await DatabaseAvailability.guarding { [stores, logger] in
                _ = try await InboundEventStore(client: stores.postgres, logger: logger).record(event)
            }
            throw APIError(.unprocessableContent, code: "rejected", message: reason)
        }
        enqueuer.submit(answer.deliveryIds)
        return Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: answer.contentType],
                        body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// Whether `error` is PostgreSQL refusing a text or JSON value it cannot store (U+0000).
    static func isUnstorableText(_ error: any Error) -> Bool {
        let psql = (error as? PSQLError)
            ?? ((error as? PostgresTransactionError).flatMap { ($0.closureError ?? $0.commitError) as? PSQLError })
        // 22021: character_not_in_repertoire (NUL in text); 22P05: untranslatable_character (`\u0000` in jsonb).
        guard let state = psql?.serverInfo?[.sqlState] else { return false }
        return state == "22021" || state == "22P05"
    }
}
