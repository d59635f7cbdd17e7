import AsyncHTTPClient
import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// Checks that what LeadRelay delivered to a CRM is still there: for each succeeded delivery of a
/// destination whose adapter can look contacts up (GoHighLevel) in a time window it looks the
/// contact up in the CRM (by the contact id it got
/// on delivery, else by email and phone), paced by the destination's rate limit, and reports the
/// ones the CRM does not have; ``retryMissing(_:actor:)`` queues those again.
public struct Reconciliation: Sendable {
    let client: PostgresClient
    let secretBox: SecretBox
    /// What the CRM lookups may reach (`LEADRELAY_ALLOW_PRIVATE_NETWORKS`).
    let policy: OutboundAddressPolicy
    let logger: Logger

    /// Destination kinds that can be reconciled: those whose adapter looks contacts up.
    public static let supportedKinds: [DestinationKind] = DestinationRegistry.adapters.filter(\.supportsContactLookup).map(\.kind)

    /// Reconciliation over `client`, opening credentials with `secretBox`, calling CRMs under `policy`.
    public init(client: PostgresClient, secretBox: SecretBox, policy: OutboundAddressPolicy, logger: Logger) {
        self.client = client
        self.secretBox = secretBox
        self.policy = policy
        self.logger = logger
    }

    /// ``check(_:since:limit:http:)`` with a client of its own (no redirects), shut down afterwards.
    public func check(_ destination: Destination, since: Date, limit: Int) async throws -> ReconcileReport {
        let http = OutboundHTTPClient(policy: policy)
        do {
            let report = try await check(destination, since: since, limit: limit, http: http)
            try await http.shutdown()
            return report
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Looks up the contacts of up to `limit` deliveries of `destination` that succeeded (were last
    /// updated) at or after `since`, oldest first, one call at a time, spaced by the destination's
    /// rate limit (`rate_limit_requests` per `rate_limit_interval_ms`; GoHighLevel's 100 per 10 s by default).
    ///
    /// - Throws: ``ReconcileError`` when the destination cannot be looked up, is a dry run, lacks its
    ///   credential or location, or the CRM refuses the credential (401/403).
    public func check(_ destination: Destination, since: Date, limit: Int, http: OutboundHTTPClient) async throws -> ReconcileReport {
        let lookup = try await prepare(destination)
        let pacing = Self.pacing(destination)
        var report = ReconcileReport(
            destinationId: destination.id,
            destinationName: destination.name,
            crmName: lookup.displayName,
            since: since,
            checked: 0,
            found: 0,
            missing: [],
            unchecked: [],
            requeued: []
        )
        var lastCall: ContinuousClock.Instant?
        for candidate in try await candidates(destination, since: since, limit: limit) {
            var check = candidate.check
            guard let (url, byId) = candidate.lookupTarget(lookup) else {
                check.outcome = .unchecked
                check.detail = "the lead has no contact id, email or valid phone to look up"
                report.unchecked.append(check)
                report.checked += 1
                continue
            }
            check.lookedUpBy = byId ? "id" : "search"
            var answer = ContactLookupAnswer.unknown("not asked")
            for attempt in 1...4 {
                if let lastCall { try await Task.sleep(until: lastCall.advanced(by: pacing), clock: .continuous) }
                lastCall = .now
                answer = try await lookup.get(url, byId: byId, http: http)
                guard case .rateLimited(let delay) = answer, attempt < 4 else { break }
                logger.info("rate limited by the CRM; waiting", metadata: ["destination": "\(destination.name)"])
                try await Task.sleep(for: delay ?? pacing * 10)
            }
            report.checked += 1
            switch answer {
            case .found:
                report.found += 1
            case .missing:
                check.outcome = .missing
                report.missing.append(check)
            case .unknown(let reason):
                check.outcome = .unchecked
                check.detail = reason
                report.unchecked.append(check)
            case .rateLimited:
                check.outcome = .unchecked
                check.detail = "still rate limited (HTTP 429) after 4 tries"
                report.unchecked.append(check)
            }
        }
        return report
    }

    /// The lookup for `destination`, after checking it can be reconciled.
    private func prepare(_ destination: Destination) async throws -> any DestinationContactLookup {
        guard let adapter = DestinationRegistry.adapter(for: destination.kind), adapter.supportsContactLookup else {
            let kinds = Self.supportedKinds.map(\.rawValue).joined(separator: " and ")
            throw ReconcileError("reconcile supports \(kinds) destinations; '\(destination.name)' is \(destination.kind.rawValue)")
        }
        guard !destination.dryRun else {
            throw ReconcileError(
                "destination '\(destination.name)' is a dry run: its deliveries never reached \(adapter.displayName), "
                    + "so there is nothing to reconcile"
            )
        }
        guard let sealed = try await DestinationStore(client: client, logger: logger).sealedSecret(destinationId: destination.id) else {
            throw ReconcileError("destination '\(destination.name)' has no credential (set one with leadctl destination update --secret)")
        }
        let token: String
        do {
            token = try secretBox.open(sealed)
        } catch {
            throw ReconcileError("the credential of destination '\(destination.name)' cannot be opened: \(error)")
        }
        guard let lookup = try adapter.contactLookup(for: destination, token: token) else {
            throw ReconcileError("\(adapter.displayName) destinations cannot be reconciled")
        }
        return lookup
    }

    /// The time between two calls: the destination's rate-limit interval divided by its requests.
    static func pacing(_ destination: Destination) -> Duration {
        let requests = max(1, destination.rateLimitRequests ?? 100)
        let interval = max(0, destination.rateLimitIntervalMilliseconds ?? 10_000)
        return .milliseconds(Int64(interval) / Int64(requests))
    }

    /// The succeeded deliveries to check, oldest first.
    private func candidates(_ destination: Destination, since: Date, limit: Int) async throws -> [ReconcileCandidate] {
        let rows = try await client.query(
            """
            SELECT d.id, d.lead_id, d.external_id, l.email, coalesce(l.phone, l.phone_raw), l.phone
            FROM deliveries d JOIN leads l ON l.id = d.lead_id
            WHERE d.destination_id = \(destination.id) AND d.status = 'succeeded' AND d.updated_at >= \(since)
            ORDER BY d.id LIMIT \(max(1, limit))
            """,
            logger: logger
        )
        var candidates: [ReconcileCandidate] = []
        for try await (deliveryId, leadId, crmId, email, shownPhone, phone) in rows.decode((Int64, Int64, String?, String?, String?, String?).self) {
            candidates.append(
                ReconcileCandidate(
                    check: ReconcileCheck(
                        deliveryId: deliveryId,
                        leadId: leadId,
                        email: email,
                        phone: shownPhone,
                        crmId: crmId,
                        lookedUpBy: "none",
                        outcome: .found
                    ),
                    e164: phone
                )
            )
        }
        return candidates
    }
}

/// One succeeded delivery to look up.
struct ReconcileCandidate: Sendable {
    var check: ReconcileCheck
    /// The lead's E.164 phone (what the CRM was sent), nil when it had none.
    var e164: String?

    /// The URL to ask and whether it looks up by contact id; nil when there is nothing to look up by.
    /// A contact id of `dry-run` (delivered while the destination was a dry run) is no contact id.
    func lookupTarget(_ lookup: any DestinationContactLookup) -> (url: String, byId: Bool)? {
        if let crmId = check.crmId?.trimmingCharacters(in: .whitespaces), !crmId.isEmpty, crmId != "dry-run" {
            return (lookup.contactURL(id: crmId), true)
        }
        guard check.email != nil || e164 != nil else { return nil }
        return (lookup.searchURL(email: check.email, phone: e164), false)
    }
}
