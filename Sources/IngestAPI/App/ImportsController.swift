import CSVReader
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Shared

/// CSV imports: `POST /api/imports?source=S` streams a file (`text/csv` or multipart field
/// `file`) into a source; `GET /api/imports[/{id}]` shows progress and results;
/// `GET /api/imports/{id}/errors.csv` is the report of rejected rows.
struct ImportsController: Sendable {
    let stores: DataStores
    let importer: CSVImportService
    let logger: Logger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("imports") { request, context in
            try await create(request, context: context)
        }
        group.get("imports") { _, context in
            let apiKey = try context.requireAPIKey()
            let records = try await withDatabaseTimeLimit { [stores, logger] in
                try await ImportStore(client: stores.postgres, logger: logger).list(tenantId: apiKey.tenantId)
            }
            return try Self.json(.ok, ["imports": records])
        }
        group.get("imports/{id}") { _, context in
            let record = try await find(context)
            return try Self.json(.ok, record)
        }
        group.get("imports/{id}/errors.csv") { _, context in
            try await errorReport(try await find(context))
        }
    }

    private func find(_ context: AppRequestContext) async throws -> ImportRecord {
        let apiKey = try context.requireAPIKey()
        return try await findImport(context.parameters.get("id") ?? "", tenantId: apiKey.tenantId)
    }

    /// The import `reference` (a UUID) within `tenantId` (any tenant when nil).
    func findImport(_ reference: String, tenantId: UUID?) async throws -> ImportRecord {
        guard let id = UUID(uuidString: reference) else {
            throw StoreError.notFound(kind: "import", reference: reference)
        }
        return try await withDatabaseTimeLimit { [stores, logger] in
            try await ImportStore(client: stores.postgres, logger: logger).find(id, tenantId: tenantId)
        }
    }

    private func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let apiKey = try context.requireAPIKey()
        return try await createImport(request, tenantId: apiKey.tenantId, location: "/api/imports/")
    }

    /// Streams the request's file into a new import of the source named by `?source=` within
    /// `tenantId` (any tenant when nil: the source's own); the answer's `Location` is `location` + id.
    func createImport(_ request: Request, tenantId: UUID?, location: String) async throws -> Response {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let boundary: String?
        switch mediaType {
        case "text/csv", "text/plain", "application/csv", "text/tab-separated-values", "application/vnd.ms-excel", "application/octet-stream":
            boundary = nil
        case "multipart/form-data":
            guard let value = MultipartHeaders.boundary(of: contentType) else {
                throw APIError(.badRequest, code: "invalid_multipart", message: "multipart/form-data needs a boundary parameter")
            }
            boundary = value
        default:
            throw APIError(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                message:
                    "send the file as Content-Type: text/csv, or as multipart/form-data with a field named 'file' (got \(mediaType.isEmpty ? "none" : mediaType))"
            )
        }
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > CSVImportService.maximumBytes {
            throw APIError(
                .contentTooLarge,
                code: "payload_too_large",
                message: "the file is larger than the \(CSVImportService.maximumBytes / 1024 / 1024) MB import limit; split it and import the parts"
            )
        }
        guard let sourceReference = LeadsController.queryValue(request, "source"), !sourceReference.isEmpty else {
            throw APIError(.badRequest, code: "missing_source", message: "name the source to import into: POST /api/imports?source=<id or name>")
        }
        // No name holds U+0000, and PostgreSQL cannot store or compare text holding it.
        if sourceReference.utf8.contains(0) { throw StoreError.notFound(kind: "source", reference: sourceReference) }
        let filename = LeadsController.queryValue(request, "filename")
        if let filename, filename.utf8.contains(0) {
            throw APIError(.badRequest, code: "invalid_filename", message: "filename must not contain a NUL character (U+0000)")
        }
        let (source, tenant, importId) = try await withDatabaseTimeLimit { [stores, logger] in
            let source = try await SourceStore(client: stores.postgres, logger: logger).find(sourceReference, tenantId: tenantId)
            guard source.enabled, source.kind == .csv || source.kind == .api else {
                throw APIError(
                    .unprocessableContent,
                    code: "source_unavailable",
                    message: source.enabled
                        ? "source '\(source.name)' is a \(source.kind.rawValue) source; import files into a csv (or api) source"
                        : "source '\(source.name)' is disabled"
                )
            }
            let tenant = try await TenantStore(client: stores.postgres, logger: logger).find(source.tenantId.uuidString)
            let importId = try await ImportStore(client: stores.postgres, logger: logger)
                .create(tenantId: tenant.id, sourceId: source.id, filename: filename, contentType: mediaType)
            return (source, tenant, importId)
        }
        let origin = LeadBatchOrigin(tenantId: tenant.id, sourceId: source.id, channel: .csv, importId: importId)
        let outcome: CSVImportService.Outcome
        if let boundary {
            let file = MultipartFileBody(base: request.body, boundary: boundary, fieldName: "file")
            outcome = try await importer.run(file, importId: importId, origin: origin, region: tenant.defaultRegion)
        } else {
            outcome = try await importer.run(request.body, importId: importId, origin: origin, region: tenant.defaultRegion)
        }
        switch outcome {
        case .completed(let record):
            var response = try Self.json(.created, record)
            response.headers[.location] = location + record.id.uuidString.lowercased()
            return response
        case .failed(let record, let reason, let tooLarge):
            return try Self.json(
                tooLarge ? .contentTooLarge : .unprocessableContent,
                ImportFailureBody(
                    error: .init(code: tooLarge ? "payload_too_large" : "import_failed", message: reason, details: nil),
                    importRecord: record
                )
            )
        }
    }

    /// The rejected rows as CSV: `row`, `line`, `reason`, then the file's own columns.
    /// The rejected rows of `record` as a streamed CSV download.
    func errorReport(_ record: ImportRecord) async throws -> Response {
        let imports = ImportStore(client: stores.postgres, logger: logger)
        let columns = record.columns
        let filename = "import-\(record.id.uuidString.lowercased())-errors.csv"
        let body = ResponseBody { writer in
            // A BOM so spreadsheet programs read the report as UTF-8.
            var header = ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])
            header.writeString(CSVCellEscaping.line(["row", "line", "reason"] + columns + ["extra_values"]))
            try await writer.write(header)
            var after = 0
            while true {
                let page = try await imports.errors(record.id, after: after, limit: 1_000)
                guard let last = page.last else { break }
                after = last.row
                var buffer = ByteBuffer()
                for error in page {
                    let known = Set(columns)
                    let extras = error.fields.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }.map(\.value)
                    var cells: [String] = [String(error.row), error.line.map { String($0) } ?? "", error.reason]
                    for column in columns { cells.append(error.fields[column] ?? "") }
                    cells.append(extras.joined(separator: " | "))
                    buffer.writeString(CSVCellEscaping.line(cells))
                }
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ],
            body: body
        )
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        LeadsController.json(status, try JSONEncoder.api.encode(value))
    }
}

/// The 4xx answer of a failed import: the error and the import as stored (rows committed before
/// the failure stay imported).
struct ImportFailureBody: Encodable {
    var error: APIErrorBody.Inner
    var importRecord: ImportRecord

    enum CodingKeys: String, CodingKey {
        case error
        case importRecord = "import"
    }
}

extension JSONEncoder {
    /// The API's encoder: sorted keys, ISO 8601 dates.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
