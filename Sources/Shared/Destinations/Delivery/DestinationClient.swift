import AsyncHTTPClient
import Foundation
import Logging

/// Delivers one lead to one destination and classifies the answer: builds the request for the
/// destination's kind, sends it with the destination's timeout as a hard deadline (connect,
/// head and body), reads a bounded part of the body, and returns a ``DeliveryOutcome``. Never
/// throws: every failure is an outcome. Dry-run destinations are never called.
///
/// The `HTTPClient` is borrowed, not owned: the caller creates it and shuts it down. Retries,
/// rate limits and attempt rows are the caller's business.
public struct DestinationClient: Sendable {
    /// Bounds on what is kept of an answer.
    public struct Limits: Sendable, Hashable {
        /// Bytes of a response body read at most (for ids, reasons and the excerpt).
        public var maxResponseBytes: Int
        /// UTF-8 bytes of the response excerpt kept for attempt rows.
        public var excerptBytes: Int

        /// Defaults: read 16 KiB, keep 1 KiB.
        public init(maxResponseBytes: Int = 16_384, excerptBytes: Int = ResponseExcerpt.defaultLimit) {
            self.maxResponseBytes = maxResponseBytes
            self.excerptBytes = excerptBytes
        }
    }

    /// The external id recorded for dry-run deliveries.
    public static let dryRunExternalId = "dry-run"

    /// The borrowed HTTP client (refuses private targets unless the destination allows them).
    let httpClient: OutboundHTTPClient
    /// Where dry runs (info) and attempts (debug) are logged, secrets masked.
    let logger: Logger
    /// Bounds on what is read and kept of an answer.
    let limits: Limits

    /// A client sending through `httpClient` (not owned: shut it down yourself).
    public init(httpClient: OutboundHTTPClient, logger: Logger, limits: Limits = Limits()) {
        self.httpClient = httpClient
        self.logger = logger
        self.limits = limits
    }

    /// Builds the request for `lead` at `destination` with its decrypted `secret` and sends it
    /// (or, for a dry-run destination, logs it redacted at info and succeeds with external id
    /// `dry-run`). A lead or destination the request cannot be built for is a permanent outcome,
    /// without a call.
    public func deliver(_ lead: DeliveryLead, to destination: Destination, secret: String?) async -> DeliveryOutcome {
        await deliver(lead, to: destination, adapter: DestinationRegistry.adapter(for: destination.kind), secret: secret)
    }

    /// ``deliver(_:to:secret:)`` through `adapter`, the registry's adapter for the destination's
    /// kind, resolved once by the caller (the worker keeps it with the cached destination); nil
    /// when no adapter serves the kind (a permanent `configuration` outcome).
    public func deliver(
        _ lead: DeliveryLead,
        to destination: Destination,
        adapter: (any DestinationAdapter)?,
        secret: String?
    ) async -> DeliveryOutcome {
        switch prepare(lead, to: destination, adapter: adapter, secret: secret) {
        case .success(let prepared): await send(prepared.request, to: destination, adapter: prepared.adapter, leadId: lead.id)
        case .failure(let error): error.outcome
        }
    }

    /// A request ready to send, with the adapter that classifies its answer.
    public struct PreparedDelivery: Sendable {
        /// What will be sent.
        public var request: DeliveryRequest
        /// The destination's adapter.
        public var adapter: any DestinationAdapter
    }

    /// The first half of ``deliver(_:to:adapter:secret:)``: builds the request without sending it,
    /// so the worker can skip a lead the channel cannot reach (or fail a misconfigured destination)
    /// before it waits for a rate-limit slot.
    public func prepare(
        _ lead: DeliveryLead,
        to destination: Destination,
        adapter: (any DestinationAdapter)?,
        secret: String?
    ) -> Result<PreparedDelivery, DeliveryBuildError> {
        do throws(DeliveryBuildError) {
            guard let adapter else { throw .unknownKind(destination.kind) }
            return .success(PreparedDelivery(request: try adapter.request(for: lead, to: destination, secret: secret), adapter: adapter))
        } catch {
            logger.debug("delivery cannot be built", metadata: metadata(destination, ["lead_id": "\(lead.id)", "reason": "\(error.reason)"]))
            return .failure(error)
        }
    }

    /// Sends a built request to `destination` (dry run: logs it and succeeds without a call).
    public func send(_ request: DeliveryRequest, to destination: Destination, leadId: Int64? = nil) async -> DeliveryOutcome {
        guard let adapter = DestinationRegistry.adapter(for: destination.kind) else {
            return DeliveryBuildError.unknownKind(destination.kind).outcome
        }
        return await send(request, to: destination, adapter: adapter, leadId: leadId)
    }

    /// Sends a built request to `destination`, classifying the answer with `adapter` (the second
    /// half of ``deliver(_:to:adapter:secret:)``, after ``prepare(_:to:adapter:secret:)``).
    public func send(
        _ request: DeliveryRequest,
        to destination: Destination,
        adapter: any DestinationAdapter,
        leadId: Int64?
    ) async -> DeliveryOutcome {
        if destination.dryRun {
            logger.info("dry run: request not sent", metadata: metadata(destination, requestMetadata(request, leadId: leadId)))
            return .succeeded(externalId: Self.dryRunExternalId, httpStatus: nil, responseExcerpt: nil)
        }
        let timeout = Duration.milliseconds(max(1, destination.timeoutMilliseconds))
        let outcome: DeliveryOutcome
        do {
            let response =
                switch request.transport {
                case .http: try await fetch(request, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork)
                case .smtp(let submission): try await submit(submission, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork)
                }
            if let followUp = request.followUp {
                outcome = try await self.followUp(followUp, after: response, of: request, to: destination, adapter: adapter, timeout: timeout)
            } else {
                outcome = adapter.classify(
                    response,
                    destination: destination,
                    scrubber: request.scrubber,
                    excerptLimit: limits.excerptBytes,
                    now: Date()
                )
            }
        } catch {
            outcome = DeliveryClassifier.classify(error: error, timeout: timeout, scrubber: request.scrubber)
        }
        if logger.logLevel <= .debug {
            var extra = requestMetadata(request, leadId: leadId)
            extra["outcome"] = "\(outcome.name)"
            if let status = outcome.httpStatus { extra["http_status"] = "\(status)" }
            if let reason = outcome.reason { extra["reason"] = "\(reason)" }
            logger.debug("delivery attempt", metadata: metadata(destination, extra))
        }
        return outcome
    }

    private func requestMetadata(_ request: DeliveryRequest, leadId: Int64?) -> Logger.Metadata {
        var extra: Logger.Metadata = ["request": "\(request.redactedDescription)"]
        if let leadId { extra["lead_id"] = "\(leadId)" }
        return extra
    }

    private func metadata(_ destination: Destination, _ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "destination_id": .id(destination.id), "destination": "\(destination.name)", "kind": "\(destination.kind.rawValue)",
        ]
        metadata.merge(extra) { _, new in new }
        return metadata
    }
}
