import Foundation
import Logging
import PostgresNIO

/// Re-seals every stored secret — destination credentials (`destinations.secret_ciphertext`) and
/// source secrets (`sources.secrets_ciphertext`) — under the current `LEADRELAY_SECRET_KEY`,
/// opening each value with the current or the previous key (`leadctl secrets rotate-key`).
///
/// Rows are read in id order, ``batchSize`` at a time, each batch in its own transaction with its
/// rows locked (`FOR UPDATE`) so a concurrent edit cannot be overwritten. Values already sealed
/// with the current key are not touched, so a second run changes nothing. A value that neither
/// key opens is left as it is and listed in ``Outcome/unreadable``.
public struct SecretRotation: Sendable {
    /// One stored sealed value and the id of the row holding it.
    public struct SealedValue: Sendable, Equatable {
        /// The destination or source id.
        public var id: UUID
        /// The sealed bytes as stored.
        public var sealed: [UInt8]

        /// A value of row `id`.
        public init(id: UUID, sealed: [UInt8]) {
            self.id = id
            self.sealed = sealed
        }
    }

    /// What happened to the sealed values of one table.
    public struct Outcome: Sendable, Codable, Equatable {
        /// Rows holding a sealed value.
        public var scanned: Int
        /// Values re-sealed under the current key (in a dry run: that would be).
        public var resealed: Int
        /// Values already sealed under the current key, left untouched.
        public var alreadyCurrent: Int
        /// Rows whose value neither the current nor the previous key opens (left untouched).
        public var unreadable: [UUID]

        enum CodingKeys: String, CodingKey {
            case scanned, resealed, unreadable
            case alreadyCurrent = "already_current"
        }

        /// Counts.
        public init(scanned: Int = 0, resealed: Int = 0, alreadyCurrent: Int = 0, unreadable: [UUID] = []) {
            self.scanned = scanned
            self.resealed = resealed
            self.alreadyCurrent = alreadyCurrent
            self.unreadable = unreadable
        }

        mutating func add(_ other: Outcome) {
            scanned += other.scanned
            resealed += other.resealed
            alreadyCurrent += other.alreadyCurrent
            unreadable += other.unreadable
        }
    }

    /// The result of a run; encodes as `{"dry_run", "complete", "destinations", "sources"}`.
    public struct Report: Sendable, Encodable, Equatable {
        /// Whether this was a dry run (nothing written).
        public var dryRun: Bool
        /// Destination credentials.
        public var destinations: Outcome
        /// Source secrets.
        public var sources: Outcome

        /// No value is left that neither key opens: once a real run reports this, the previous key can go.
        public var isComplete: Bool { destinations.unreadable.isEmpty && sources.unreadable.isEmpty }

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run"
            case complete, destinations, sources
        }

        /// Encodes the counts plus `complete` (``isComplete``).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(dryRun, forKey: .dryRun)
            try container.encode(isComplete, forKey: .complete)
            try container.encode(destinations, forKey: .destinations)
            try container.encode(sources, forKey: .sources)
        }
    }

    /// The database holding the secrets.
    public let client: PostgresClient
    /// The current key (sealing and opening) and the previous key (opening only).
    public let box: SecretBox
    /// Where progress is logged (counts only, never secrets).
    public let logger: Logger
    /// Rows per table read, re-sealed and written in one transaction.
    public let batchSize: Int

    /// A rotation over `client` with `box`; `batchSize` is clamped to at least 1.
    public init(client: PostgresClient, box: SecretBox, logger: Logger, batchSize: Int = 500) {
        self.client = client
        self.box = box
        self.logger = logger
        self.batchSize = max(1, batchSize)
    }

    /// Re-seals what is not yet under the current key; with `dryRun` only counts, locks nothing and writes nothing.
    public func run(dryRun: Bool = false) async throws -> Report {
        let destinations = try await rotate(.destinationCredentials, dryRun: dryRun)
        let sources = try await rotate(.sourceSecrets, dryRun: dryRun)
        return Report(dryRun: dryRun, destinations: destinations, sources: sources)
    }

    private func rotate(_ column: SealedSecretColumn, dryRun: Bool) async throws -> Outcome {
        let table = column.table
        var total = Outcome()
        var cursor: UUID?
        while true {
            let after = cursor
            let (batch, lastId, count) = try await client.withTransaction(logger: logger) { connection -> (Outcome, UUID?, Int) in
                let values = try await column.values(after: after, limit: batchSize, forUpdate: !dryRun, on: connection, logger: logger)
                var batch = Outcome()
                for value in values {
                    batch.scanned += 1
                    if box.isSealedWithCurrentKey(value.sealed) {
                        batch.alreadyCurrent += 1
                        continue
                    }
                    let plaintext: String
                    do {
                        plaintext = try box.open(value.sealed)
                    } catch {
                        batch.unreadable.append(value.id)
                        continue
                    }
                    if !dryRun {
                        try await column.replace(id: value.id, with: try box.seal(plaintext), on: connection, logger: logger)
                    }
                    batch.resealed += 1
                }
                return (batch, values.last?.id, values.count)
            }
            total.add(batch)
            logger.info(
                "secret rotation batch",
                metadata: [
                    "table": "\(table)", "scanned": "\(batch.scanned)", "resealed": "\(batch.resealed)",
                    "already_current": "\(batch.alreadyCurrent)", "unreadable": "\(batch.unreadable.count)", "dry_run": "\(dryRun)",
                ]
            )
            guard count == batchSize, let lastId else { break }
            cursor = lastId
        }
        for id in total.unreadable {
            logger.warning("sealed value opens with neither key; left unchanged", metadata: ["table": "\(table)", "id": "\(id)"])
        }
        return total
    }
}
