import CSVReader
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Imports one uploaded CSV file into a source while it streams in: rows are parsed,
/// normalized and committed in batches as the bytes arrive, with up to
/// ``maximumWritesInFlight`` batch writes running while the next batch is parsed, so memory
/// stays flat whatever the file's size. When two rows of a file are duplicates in batches
/// written at the same time, either may be the one counted as new.
public struct CSVImportService: Sendable {
    /// Largest upload accepted; 413 beyond it (rows already committed stay, the import fails).
    public static let maximumBytes: Int64 = 512 * 1024 * 1024
    /// Rows per committed batch.
    public static let batchSize = 2_000
    /// Batch writes running at once while parsing goes on: two keep both PostgreSQL and this
    /// process busy on a small machine. Batches insert in dedup-key order, so they cannot deadlock.
    public static let maximumWritesInFlight = 2

    let stores: DataStores
    let enqueuer: DeliveryEnqueuer
    let logger: Logger

    /// An importer writing to `stores.postgres` and handing new deliveries to `enqueuer`.
    public init(stores: DataStores, enqueuer: DeliveryEnqueuer, logger: Logger) {
        self.stores = stores
        self.enqueuer = enqueuer
        self.logger = logger
    }

    /// How an import ended.
    public enum Outcome: Sendable {
        /// Every row was read; the import as stored.
        case completed(ImportRecord)
        /// The file cannot be imported (not a CSV, no contact column, no rows, too large, cut off).
        case failed(ImportRecord, reason: String, tooLarge: Bool)
    }

    /// Reads `body` to its end (or to the first file-level failure) into import `importId`. An
    /// ``UploadRejection`` thrown by `body` is thrown as it is; any other error of `body` ends the
    /// import as an upload that broke off.
    public func run<Body: AsyncSequence>(
        _ body: Body,
        importId: UUID,
        origin: LeadBatchOrigin,
        region: String
    ) async throws -> Outcome where Body.Element == ByteBuffer {
        let imports = ImportStore(client: stores.postgres, logger: logger)
        var batcher = CSVImportBatcher(defaultRegion: region, batchSize: Self.batchSize)
        var received: Int64 = 0
        var failure: (reason: String, tooLarge: Bool)?
        try await withThrowingTaskGroup(of: Void.self) { group in
            var writesInFlight = 0
            var described = false
            func describeIfReady() async throws {
                guard !described, let columns = batcher.columns else { return }
                described = true
                try await withDatabaseTimeLimit { [encoding = batcher.encoding?.displayName, delimiter = batcher.delimiter] in
                    try await imports.describeFile(importId, encoding: encoding, delimiter: delimiter, columns: columns)
                }
            }
            do {
                var batches: [CSVImportBatch] = []
                var iterator = body.makeAsyncIterator()
                while true {
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await iterator.next()
                    } catch let error as any UploadRejection {
                        throw error
                    } catch {
                        throw CSVImportFailure(
                            reason: "the upload broke off after \(received) bytes (\(error)); rows before that point were imported"
                        )
                    }
                    if let chunk {
                        received += Int64(chunk.readableBytes)
                        guard received <= Self.maximumBytes else {
                            failure = (
                                "the file is larger than the \(Self.maximumBytes / 1024 / 1024) MB import limit; split it and import the parts", true
                            )
                            break
                        }
                        batches = try batcher.consume(chunk.readableBytesView)
                    } else {
                        batches = try batcher.finish()
                    }
                    try await describeIfReady()
                    for batch in batches {
                        // Bounded writes in flight overlap the parsing of the next batch; memory stays flat.
                        if writesInFlight >= Self.maximumWritesInFlight {
                            try await group.next()
                            writesInFlight -= 1
                        }
                        group.addTask { [received] in
                            try await write(batch, importId: importId, origin: origin, bytesReceived: received, imports: imports)
                        }
                        writesInFlight += 1
                    }
                    if chunk == nil { break }
                }
            } catch let error as CSVImportFailure {
                failure = (error.reason, false)
            }
            try await group.waitForAll()
        }
        let warnings = batcher.warnings
        let bytes = received
        let status: ImportRecord.Status = failure == nil ? .completed : .failed
        let record = try await withDatabaseTimeLimit { [tenantId = origin.tenantId, failure] in
            try await imports.finish(importId, status: status, failureReason: failure?.reason, warnings: warnings, bytesReceived: bytes)
            return try await imports.find(importId, tenantId: tenantId)
        }
        logger.info(
            "import finished",
            metadata: [
                "import_id": .id(importId), "status": "\(status.rawValue)", "rows": "\(record.rowsTotal)",
                "accepted": "\(record.accepted)", "duplicates": "\(record.duplicates)", "rejected": "\(record.rejected)",
            ]
        )
        if let failure { return .failed(record, reason: failure.reason, tooLarge: failure.tooLarge) }
        return .completed(record)
    }

    /// Commits one batch: its leads and deliveries, its rejected rows and the import's counters,
    /// in one transaction; then hands the new deliveries to the enqueuer.
    private func write(_ batch: CSVImportBatch, importId: UUID, origin: LeadBatchOrigin, bytesReceived: Int64, imports: ImportStore) async throws {
        let writer = LeadWriter(logger: logger)
        let deliveryIds = try await withDatabaseTimeLimit { [stores, logger] in
            try await stores.postgres.withTransactionRetryingConflicts(logger: logger) { connection in
                let result = try await writer.write(batch.leads, origin: origin, on: connection)
                var progress = ImportStore.BatchProgress()
                progress.rows = batch.rows
                progress.rejected = batch.errors.count
                progress.bytesReceived = bytesReceived
                for outcome in result.outcomes {
                    if case .accepted = outcome { progress.accepted += 1 } else { progress.duplicates += 1 }
                }
                try await imports.recordBatch(importId, progress: progress, errors: batch.errors, on: connection)
                return result.deliveryIds
            }
        }
        enqueuer.submit(deliveryIds)
    }
}
