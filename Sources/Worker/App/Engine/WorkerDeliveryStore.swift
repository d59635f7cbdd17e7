import Foundation
import Logging
import PostgresNIO
import Shared

/// The worker's PostgreSQL side of the queue protocol: claim deliveries named by stream entries,
/// commit results with their attempt rows, and find work the queue lost.
struct WorkerDeliveryStore: Sendable {
    let client: PostgresClient
    let workerId: String
    /// A `processing` row whose claim is older than this belongs to a worker that vanished (a live
    /// worker finishes any delivery well within it: rate-limit wait + HTTP timeout + commit).
    let staleClaim: Duration
    let logger: Logger

    /// Claims the claimable deliveries among `entries` (delivery id → entry ids) and loads their
    /// leads. Rows already done, claimed by a live worker, or retrying but not yet due claim nothing.
    func claim(_ entries: [Int64: [String]]) async throws -> [ClaimedDelivery] {
        guard !entries.isEmpty else { return [] }
        let ids = Array(entries.keys)
        let rows = try await client.execute(
            ClaimStatement(workerId: workerId, ids: ids, staleClaimSeconds: Double(staleClaim.seconds)),
            logger: logger
        )
        var claimed: [ClaimedDelivery] = []
        for try await (
            id, destinationId, attempts, leadId, first, last, email, phone, phoneRaw, postal, notes, extra, externalId, sourceName, received,
            tenantName, lastWhatsApp, maybeSentSince, enrollmentId, stepIndex
        ) in rows {
            let lead = DeliveryLead(
                id: leadId,
                firstName: first,
                lastName: last,
                email: email,
                phone: phone,
                phoneRaw: phoneRaw,
                postalCode: postal,
                notes: notes,
                extra: (try? JSONValue.parse(extra))?.objectMembers ?? [:],
                externalId: externalId,
                sourceName: sourceName,
                receivedAt: received,
                tenantName: tenantName,
                deliveryId: id,
                lastWhatsAppMessageAt: lastWhatsApp,
                maybeSentSince: maybeSentSince
            )
            claimed.append(
                ClaimedDelivery(
                    id: id,
                    destinationId: destinationId,
                    previousAttempts: attempts,
                    lead: lead,
                    entryIds: entries[id] ?? [],
                    step: enrollmentId.flatMap { enrollment in stepIndex.map { SequenceStepReference(enrollmentId: enrollment, index: $0) } }
                )
            )
        }
        return claimed
    }

    /// Renews `claimed_at` of the deliveries this worker is still working on (those being
    /// committed at this moment are skipped).
    func refreshClaims(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        // SKIP LOCKED: a row the result writer is committing right now is finished by that commit;
        // waiting for its lock instead (rows locked in a different order) deadlocked the two.
        try await client.execute(
            """
            UPDATE deliveries SET claimed_at = now()
            WHERE id IN (SELECT id FROM deliveries
                         WHERE id = ANY(\(ids)::bigint[]) AND claimed_by = \(workerId) AND status = 'processing'
                         FOR UPDATE SKIP LOCKED)
            """,
            logger: logger
        )
    }

    /// Commits a batch of results in one statement: the delivery rows (only where this worker
    /// still holds the claim) and one attempt row per attempt made (always: it happened).
    func commit(_ results: [DeliveryResult]) async throws {
        guard !results.isEmpty else { return }
        var ids: [Int64] = []
        var statuses: [String] = []
        var attempts: [Int] = []
        var dueMillis: [Int64] = []
        var externalIds: [String] = []
        var httpStatuses: [Int] = []
        var errorClasses: [String] = []
        var errors: [String] = []
        var aIds: [Int64] = []
        var aNumbers: [Int] = []
        var aStarted: [Double] = []
        var aDurations: [Int] = []
        var aOutcomes: [String] = []
        var aStatuses: [Int] = []
        var aClasses: [String] = []
        var aMessages: [String] = []
        var aExcerpts: [String] = []
        var aSegments: [Int] = []
        var aEncodings: [String] = []
        var aProviderIds: [String] = []
        var aPossibleDuplicates: [String] = []
        var maybeSentMillis: [Int64] = []
        var stepAtMillis: [Int64] = []
        var messages = MessageColumns()
        for result in results {
            ids.append(result.delivery.id)
            statuses.append(result.status)
            attempts.append(result.attemptsAfter)
            if case .retrying(let due, _) = result.disposition {
                dueMillis.append(Int64(due.timeIntervalSince1970 * 1000))
            } else {
                dueMillis.append(0)
            }
            if case .succeeded(let externalId) = result.disposition { externalIds.append(externalId ?? "") } else { externalIds.append("") }
            httpStatuses.append(result.httpStatus ?? 0)
            errorClasses.append(result.errorClass ?? "")
            errors.append(result.error.map { String($0.prefix(1_000)) } ?? "")
            maybeSentMillis.append(result.maybeSentSinceAfter.map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0)
            stepAtMillis.append(result.stepFinishedAt.map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0)
            if let attempt = result.attempt {
                aIds.append(result.delivery.id)
                aNumbers.append(attempt.number)
                aStarted.append(attempt.startedAt.timeIntervalSince1970)
                aDurations.append(attempt.durationMilliseconds)
                aOutcomes.append(attempt.outcome)
                aStatuses.append(attempt.httpStatus ?? 0)
                aClasses.append(attempt.errorClass ?? "")
                aMessages.append(attempt.errorMessage.map { String($0.prefix(1_000)) } ?? "")
                aExcerpts.append(attempt.responseExcerpt.map { String($0.prefix(2_000)) } ?? "")
                aSegments.append(attempt.message?.segments?.count ?? 0)
                aEncodings.append(attempt.message?.segments?.encoding.rawValue ?? "")
                aProviderIds.append(attempt.providerMessageId ?? "")
                aPossibleDuplicates.append(attempt.possibleDuplicate.map { $0 ? "t" : "f" } ?? "")
                if case .succeeded = result.disposition, let message = attempt.message {
                    messages.append(result.delivery.id, message, providerId: attempt.providerMessageId, dryRun: attempt.dryRun)
                }
            }
        }
        _ = try await client.withConnection { connection in
            try await connection.execute(
                CommitStatement(
                    workerId: workerId,
                    ids: ids,
                    statuses: statuses,
                    attempts: attempts,
                    dueMillis: dueMillis,
                    externalIds: externalIds,
                    httpStatuses: httpStatuses,
                    errorClasses: errorClasses,
                    errors: errors,
                    attemptIds: aIds,
                    attemptNumbers: aNumbers,
                    attemptStarts: aStarted,
                    attemptDurations: aDurations,
                    attemptOutcomes: aOutcomes,
                    attemptStatuses: aStatuses,
                    attemptClasses: aClasses,
                    attemptMessages: aMessages,
                    attemptExcerpts: aExcerpts,
                    attemptSegments: aSegments,
                    attemptEncodings: aEncodings,
                    attemptProviderIds: aProviderIds,
                    messageIds: messages.ids,
                    messageChannels: messages.channels,
                    messageAddresses: messages.addresses,
                    messageSenders: messages.senders,
                    messageProviderIds: messages.providerIds,
                    messageBodies: messages.bodies,
                    messageSegments: messages.segments,
                    messageDryRuns: messages.dryRuns,
                    maybeSentMillis: maybeSentMillis,
                    attemptPossibleDuplicates: aPossibleDuplicates,
                    stepAtMillis: stepAtMillis
                ),
                logger: logger
            )
        }
    }
}

/// The messages of a batch of results, column by column, for ``WorkerDeliveryStore/CommitStatement``.
private struct MessageColumns {
    var ids: [Int64] = [], channels: [String] = [], addresses: [String] = [], senders: [String] = []
    var providerIds: [String] = [], bodies: [String] = [], segments: [Int] = [], dryRuns: [Bool] = []

    mutating func append(_ deliveryId: Int64, _ message: OutboundMessage, providerId: String?, dryRun: Bool) {
        ids.append(deliveryId)
        channels.append(message.channel.rawValue)
        addresses.append(message.recipient)
        senders.append(message.sender)
        providerIds.append(providerId ?? "")
        bodies.append(message.text)
        segments.append(message.segments?.count ?? 0)
        dryRuns.append(dryRun)
    }
}
