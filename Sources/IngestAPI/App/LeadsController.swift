import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import Shared

/// `POST /api/leads` (one lead) and `POST /api/leads/bulk` (up to 10,000): validate, normalize,
/// store durably, answer 202 with a result per item, then enqueue the deliveries.
struct LeadsController: Sendable {
    let stores: DataStores
    let ingest: LeadIngestService
    let logger: Logger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("leads") { request, context in
            try await handle(request, context: context, single: true)
        }
        group.post("leads/bulk") { request, context in
            try await handle(request, context: context, single: false)
        }
    }

    private func handle(_ request: Request, context: AppRequestContext, single: Bool) async throws -> Response {
        let apiKey = try context.requireAPIKey()
        try Self.requireJSON(request)
        let body = try await Self.collect(request, limit: BulkLeadRequest.maximumBytes)
        let idempotency = IdempotencyStore(client: stores.postgres, logger: logger)
        let idempotencyKey = try request.headers[.idempotencyKey].map(Self.validIdempotencyKey)
        let requestHash = IdempotencyStore.requestHash(path: request.uri.path, body: body)
        if let idempotencyKey,
            let stored = try await withDatabaseTimeLimit({
                try await idempotency.find(apiKeyId: apiKey.id, key: idempotencyKey)
            })
        {
            return try Self.replay(stored, requestHash: requestHash)
        }

        let parsed = try BulkLeadRequest(body: body, single: single)
        let sourceReference = Self.queryValue(request, "source") ?? parsed.source
        if let sourceReference, sourceReference.utf8.contains(0) {
            // No name holds U+0000, and PostgreSQL cannot compare text holding it.
            throw StoreError.notFound(kind: "source", reference: sourceReference)
        }
        let (source, tenant) = try await withDatabaseTimeLimit { [stores, logger] in
            let sources = SourceStore(client: stores.postgres, logger: logger)
            let source: Source
            if let sourceReference {
                source = try await sources.find(sourceReference, tenantId: apiKey.tenantId)
            } else {
                source = try await sources.defaultAPISource(tenantId: apiKey.tenantId)
            }
            let tenant = try await TenantStore(client: stores.postgres, logger: logger).find(apiKey.tenantId.uuidString)
            return (source, tenant)
        }
        guard source.enabled, source.kind != .webhook else {
            throw APIError(
                .unprocessableContent,
                code: "source_unavailable",
                message: source.enabled ? "source '\(source.name)' takes leads by webhook only" : "source '\(source.name)' is disabled"
            )
        }
        var prepared = ingest.prepare(parsed.items, source: source, region: tenant.defaultRegion)
        for index in parsed.itemsWithNUL { prepared[index] = .invalid([BulkLeadRequest.nulIssue]) }
        let origin = LeadBatchOrigin(tenantId: tenant.id, sourceId: source.id, channel: .api)
        let encoder = JSONEncoder()
        // Sorted keys: the saved idempotent reply and the live answer are byte-identical.
        encoder.outputFormatting = [.sortedKeys]
        do {
            // With an Idempotency-Key the reply is saved in the write's own transaction.
            let saveReply = idempotencyKey.map { key in
                { @Sendable (connection: PostgresConnection, response: LeadIngestResponse) async throws in
                    let data = try encoder.encode(response)
                    try await idempotency.save(
                        on: connection,
                        apiKeyId: apiKey.id,
                        key: key,
                        requestHash: requestHash,
                        status: 202,
                        body: Array(data)
                    )
                }
            }
            let response = try await ingest.ingest(prepared, origin: origin, extra: saveReply)
            return Self.json(.accepted, try encoder.encode(response))
        } catch let error as PostgresTransactionError where error.closureError is IdempotencyStore.AlreadyStored {
            guard let idempotencyKey, let stored = try await idempotency.find(apiKeyId: apiKey.id, key: idempotencyKey) else { throw error }
            return try Self.replay(stored, requestHash: requestHash)
        }
    }

    static func replay(_ stored: IdempotencyStore.StoredReply, requestHash: [UInt8]) throws -> Response {
        guard stored.requestHash == requestHash else {
            throw APIError(
                .unprocessableContent,
                code: "idempotency_key_reused",
                message: "this Idempotency-Key was used within 24 h with a different request body"
            )
        }
        var response = json(HTTPResponse.Status(code: stored.status), Data(stored.body))
        response.headers[.idempotentReplayed] = "true"
        return response
    }

    static func validIdempotencyKey(_ value: String) throws -> String {
        guard (1...255).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw APIError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must be 1-255 visible ASCII characters")
        }
        return value
    }

    /// The first value of query parameter `name`, decoded the way HTML forms and most HTTP clients
    /// encode it (`+` is a space, `%2B` a plus); Hummingbird's `queryParameters` keeps `+` as is.
    static func queryValue(_ request: Request, _ name: String) -> String? {
        formDecodedQuery(request).first { $0.name == name }?.value
    }

    /// Every query parameter of `request`, in order, decoded as ``queryValue(_:_:)`` decodes them.
    static func formDecodedQuery(_ request: Request) -> [(name: String, value: String)] {
        request.uri.query.map(FormBody.urlEncoded) ?? []
    }

    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || (type.hasPrefix("application/") && type.contains("+json")) else {
            throw APIError(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                message: "send Content-Type: application/json (got \(type.isEmpty ? "none" : type))"
            )
        }
    }

    /// The whole body, or 413 naming the limit.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge(limit) }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return Data(buffer.readableBytesView)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        let size = limit >= 1024 * 1024 ? "\(limit / 1024 / 1024) MB" : "\(limit / 1024) KB"
        return APIError(.contentTooLarge, code: "payload_too_large", message: "request body is larger than the \(size) limit")
    }

    static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension HTTPField.Name {
    static let idempotencyKey = constant("Idempotency-Key")
    static let idempotentReplayed = constant("Idempotent-Replayed")

    /// A header name known at compile time to be valid.
    static func constant(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("invalid header name \(name)") }
        return field
    }
}
