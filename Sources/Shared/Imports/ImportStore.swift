import Foundation
import Logging
import PostgresNIO

/// CSV imports and their rejected rows in PostgreSQL.
public struct ImportStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Counters added by one committed batch of rows.
    public struct BatchProgress: Sendable, Hashable {
        public var rows = 0
        public var accepted = 0
        public var duplicates = 0
        public var rejected = 0
        /// Bytes of the upload received so far (a total, not a delta).
        public var bytesReceived: Int64 = 0

        /// Empty progress.
        public init() {}
    }

    /// Starts an import in `receiving` state, committed at once so its progress can be watched.
    public func create(tenantId: UUID, sourceId: UUID, filename: String?, contentType: String?) async throws -> UUID {
        let id = UUID()
        try await client.execute(
            """
            INSERT INTO imports (id, tenant_id, source_id, filename, content_type)
            VALUES (\(id), \(tenantId), \(sourceId), \(filename), \(contentType))
            """,
            logger: logger
        )
        return id
    }

    /// Records what was learnt from the file's first bytes and header line.
    public func describeFile(_ id: UUID, encoding: String?, delimiter: String?, columns: [String]) async throws {
        try await client.execute(
            """
            UPDATE imports SET encoding = \(encoding), delimiter = \(delimiter), columns = \(columns), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
    }

    /// Adds one batch's counters and rejected rows, on the connection of the batch's transaction.
    public func recordBatch(_ id: UUID, progress: BatchProgress, errors: [ImportRowError], on connection: PostgresConnection) async throws {
        if !errors.isEmpty {
            let rows = errors.map(\.row)
            let lines = errors.map { $0.line ?? 0 }
            let reasons = errors.map(\.reason)
            let fields = errors.map { JSONText.encode($0.fields) }
            try await connection.execute(
                """
                INSERT INTO import_errors (import_id, row_number, line, reason, fields)
                SELECT \(id), r, NULLIF(l, 0), reason, f::jsonb
                FROM unnest(\(rows)::int[], \(lines)::int[], \(reasons)::text[], \(fields)::text[]) AS e(r, l, reason, f)
                ON CONFLICT (import_id, row_number) DO NOTHING
                """,
                logger: logger
            )
        }
        try await connection.execute(
            """
            UPDATE imports SET rows_total = rows_total + \(progress.rows), accepted = accepted + \(progress.accepted),
                duplicates = duplicates + \(progress.duplicates), rejected = rejected + \(progress.rejected),
                bytes_received = greatest(bytes_received, \(progress.bytesReceived)), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
    }

    /// Ends an import: `completed`, or `failed` with a reason. Rows committed before a failure stay.
    public func finish(_ id: UUID, status: ImportRecord.Status, failureReason: String?, warnings: [String], bytesReceived: Int64) async throws {
        try await client.execute(
            """
            UPDATE imports SET status = \(status.rawValue), failure_reason = \(failureReason),
                warnings = \(JSONText.encode(warnings))::jsonb, bytes_received = greatest(bytes_received, \(bytesReceived)),
                finished_at = now(), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
    }

    static let columns = """
        id, tenant_id, source_id, status, filename, encoding, delimiter, bytes_received, rows_total, accepted,
        duplicates, rejected, failure_reason, warnings::text, columns, created_at, finished_at
        """

    /// The import with `id` in `tenantId` (another tenant's import is "not found"; nil: any
    /// tenant, for operators), with its first `errorLimit` rejected rows.
    public func find(_ id: UUID, tenantId: UUID?, errorLimit: Int = 20) async throws -> ImportRecord {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM imports WHERE id = \(id) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            """,
            logger: logger
        )
        guard var record = try await decode(rows).first else {
            throw StoreError.notFound(kind: "import", reference: id.uuidString.lowercased())
        }
        record.errors = try await errors(id, after: 0, limit: errorLimit)
        return record
    }

    /// The tenant's most recent imports (every tenant's when nil), newest first.
    public func list(tenantId: UUID?, limit: Int = 50) async throws -> [ImportRecord] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM imports WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
            ORDER BY created_at DESC LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// Rejected rows after row number `after`, in row order, at most `limit` (for paging through a large report).
    public func errors(_ id: UUID, after: Int, limit: Int) async throws -> [ImportRowError] {
        let rows = try await client.query(
            """
            SELECT row_number, line, reason, fields::text FROM import_errors
            WHERE import_id = \(id) AND row_number > \(after) ORDER BY row_number LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [ImportRowError] = []
        for try await (row, line, reason, fields) in rows.decode((Int, Int?, String, String).self) {
            result.append(
                ImportRowError(
                    row: row,
                    line: line,
                    reason: reason,
                    fields: JSONText.decode([String: String].self, from: fields) ?? [:]
                )
            )
        }
        return result
    }

    /// Marks imports still `receiving` but idle for longer than `idle` as failed: their upload
    /// died with a server process. Returns how many were closed.
    @discardableResult
    public func failAbandoned(idleFor idle: Duration) async throws -> Int {
        let seconds = Double(idle.components.seconds)
        let rows = try await client.query(
            """
            UPDATE imports SET status = 'failed', finished_at = now(), updated_at = now(),
                failure_reason = 'the upload stopped before the end of the file (server restarted or connection lost); rows counted here were imported'
            WHERE status = 'receiving' AND updated_at < now() - make_interval(secs => \(seconds))
            RETURNING id
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    func decode(_ rows: PostgresRowSequence) async throws -> [ImportRecord] {
        var records: [ImportRecord] = []
        for try await row in rows {
            let (
                id, tenantId, sourceId, status, filename, encoding, delimiter, bytes, total, accepted, duplicates, rejected,
                failure, warnings, columns, created, finished
            ) =
                try row.decode(
                    (
                        UUID, UUID, UUID, String, String?, String?, String?, Int64, Int, Int, Int, Int,
                        String?, String, [String], Date, Date?
                    ).self
                )
            records.append(
                ImportRecord(
                    id: id,
                    tenantId: tenantId,
                    sourceId: sourceId,
                    status: ImportRecord.Status(rawValue: status) ?? .failed,
                    filename: filename,
                    encoding: encoding,
                    delimiter: delimiter,
                    bytesReceived: bytes,
                    rowsTotal: total,
                    accepted: accepted,
                    duplicates: duplicates,
                    rejected: rejected,
                    failureReason: failure,
                    warnings: JSONText.decode([String].self, from: warnings) ?? [],
                    columns: columns,
                    errors: nil,
                    createdAt: created,
                    finishedAt: finished
                )
            )
        }
        return records
    }
}
