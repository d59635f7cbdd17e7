import Foundation
import Logging
import Shared

/// Works one claimed delivery: looks up its destination, waits for a rate-limit slot shared
/// with every other worker, makes the attempt and decides what happens next.
struct DeliveryProcessor: Sendable {
    let destinations: DestinationCache
    let rateLimiter: AccountRateLimiter
    let client: DestinationClient
    /// Checked immediately before every message to a person.
    let optOuts: OptOutStore
    /// Where suspensions are recorded.
    let destinationStore: DestinationStore
    /// Checks a sequence step immediately before it sends.
    let stepGate: SequenceStepGate
    let logger: Logger

    func process(_ delivery: ClaimedDelivery) async -> DeliveryResult {
        var result = await work(delivery)
        // A finished step moves its enrollment on, counting the next step's delay from now.
        if delivery.step != nil { result.stepFinishedAt = stepGate.now() }
        return result
    }

    private func work(_ delivery: ClaimedDelivery) async -> DeliveryResult {
        let entry: DestinationCache.Entry?
        do {
            entry = try await destinations.entry(delivery.destinationId)
        } catch {
            return retryWithoutAttempt(delivery, after: .seconds(30), reason: "destination could not be loaded: \(error)")
        }
        guard let entry else {
            return DeliveryResult(delivery: delivery, disposition: .dead, error: "the destination no longer exists", errorClass: "configuration")
        }
        let destination = entry.destination
        guard destination.enabled else {
            return DeliveryResult(
                delivery: delivery,
                disposition: .dead,
                error: "destination '\(destination.name)' is disabled; retry after enabling it",
                errorClass: "configuration"
            )
        }
        if let suspendedAt = destination.suspendedAt {
            // The provider refused the credential: wait for a new one without spending attempts.
            let since = ISO8601DateFormatter().string(from: suspendedAt)
            let reason =
                "destination suspended since \(since): \(destination.suspendedReason ?? "credential refused"); "
                + "replace its credential (leadctl destination update --secret)"
            return retryWithoutAttempt(delivery, after: Self.suspendedRecheck, reason: reason, errorClass: .credentialRejected)
        }
        let prepared: DestinationClient.PreparedDelivery
        switch client.prepare(delivery.lead, to: destination, adapter: entry.adapter, secret: entry.secret) {
        case .success(let request):
            prepared = request
        case .failure(let error):
            // Decided without a call, before any rate-limit slot is spent.
            return conclude(delivery, at: destination, outcome: error.outcome, message: nil, startedAt: Date(), elapsed: .zero)
        }
        if !destination.dryRun, let limit = prepared.request.message?.recipientRateLimit,
            // The recipient's slot first: a message throttled for its recipient spends no account slot.
            let notNow = await takeSlot(
                delivery,
                account: limit.key,
                requests: limit.requests,
                interval: limit.intervalMilliseconds,
                kind: destination.kind,
                action: "recipient_rescheduled"
            )
        {
            return notNow
        }
        if !destination.dryRun, let requests = destination.rateLimitRequests, let interval = destination.rateLimitIntervalMilliseconds,
            let notNow = await takeSlot(
                delivery,
                account: destination.accountKey,
                requests: requests,
                interval: interval,
                kind: destination.kind,
                action: "rescheduled"
            )
        {
            return notNow
        }
        if Task.isCancelled { return DeliveryResult(delivery: delivery, disposition: .handedBack) }
        if destinations.isSuspended(destination.id) {
            let reason = "destination suspended: its provider refused the credential; replace it (leadctl destination update --secret)"
            return retryWithoutAttempt(delivery, after: Self.suspendedRecheck, reason: reason, errorClass: .credentialRejected)
        }
        if let step = delivery.step {
            switch await stepGate.check(delivery, step: step, isMessage: prepared.request.message != nil) {
            case .send:
                break
            case .wait(let until, let reason):
                return DeliveryResult(delivery: delivery, disposition: .retrying(due: until, countsAsAttempt: false), error: reason)
            case .skip(let reason):
                return DeliveryResult(
                    delivery: delivery,
                    disposition: .skipped,
                    error: reason,
                    errorClass: DeliveryErrorClass.sequenceEnded.rawValue
                )
            }
        }
        if let message = prepared.request.message {
            do {
                if try await optOuts.isOptedOut(tenantId: destination.tenantId, channel: message.channel, address: message.recipient) {
                    let reason = "opted out: the lead asked not to be messaged by \(message.channel.displayName)"
                    return conclude(
                        delivery,
                        at: destination,
                        outcome: .skipped(reason: reason, errorClass: .optedOut),
                        message: message,
                        startedAt: Date(),
                        elapsed: .zero
                    )
                }
            } catch {
                return retryWithoutAttempt(delivery, after: .seconds(5), reason: "opt-outs could not be checked: PostgreSQL unavailable")
            }
        }

        let started = Date()
        let clock = ContinuousClock.now
        // An earlier attempt got no answer and may have sent it: where the provider can be asked, ask first.
        let earlier = await earlierSend(of: delivery, prepared: prepared, at: destination, secret: entry.secret)
        if case .found(let externalId) = earlier {
            var result = conclude(
                delivery,
                at: destination,
                outcome: .succeeded(externalId: externalId, httpStatus: nil, responseExcerpt: nil),
                message: prepared.request.message,
                startedAt: started,
                elapsed: ContinuousClock.now - clock
            )
            result.attempt?.errorMessage = Self.foundEarlierSendNote
            result.attempt?.possibleDuplicate = false
            return result
        }
        let outcome = await client.send(prepared.request, to: destination, adapter: prepared.adapter, leadId: delivery.lead.id)
        if case .permanent(_, _, .optedOut, _) = outcome, let message = prepared.request.message {
            await recordProviderOptOut(message, destination: destination)
        }
        if case .retryable(let reason, _, _, let errorClass, _) = outcome, errorClass.suspendsDestination {
            await suspend(destination, reason: reason)
        }
        var result = conclude(
            delivery,
            at: destination,
            outcome: outcome,
            message: prepared.request.message,
            startedAt: started,
            elapsed: ContinuousClock.now - clock
        )
        settleDuplicateWindow(&result, earlier: earlier, outcome: outcome, startedAt: started, kind: destination.kind)
        return result
    }

    /// What `outcome` means for the delivery: the attempt row (none for a skip) and the next state.
    private func conclude(
        _ delivery: ClaimedDelivery,
        at destination: Destination,
        outcome: DeliveryOutcome,
        message: OutboundMessage?,
        startedAt started: Date,
        elapsed: Duration
    ) -> DeliveryResult {
        LeadRelayMetrics.shared.attempt(kind: destination.kind.rawValue, outcome: outcome.name, duration: elapsed)
        if case .skipped(let reason, let errorClass) = outcome {
            logger.info(
                "delivery skipped: the lead cannot be reached on this channel",
                metadata: [
                    "delivery_id": "\(delivery.id)", "lead_id": "\(delivery.lead.id)", "destination_id": .id(destination.id),
                    "error_class": "\(errorClass.rawValue)", "reason": "\(reason)",
                ]
            )
            return DeliveryResult(delivery: delivery, disposition: .skipped, error: reason, errorClass: errorClass.rawValue)
        }
        let milliseconds = Int(elapsed.wholeMilliseconds)
        let number = delivery.previousAttempts + 1
        let attempt = DeliveryResult.Attempt(
            number: number,
            startedAt: started,
            durationMilliseconds: max(0, milliseconds),
            outcome: outcome.name,
            httpStatus: outcome.httpStatus,
            errorClass: outcome.errorClass?.rawValue,
            errorMessage: outcome.reason,
            responseExcerpt: outcome.responseExcerpt,
            message: message,
            providerMessageId: message == nil || destination.dryRun ? nil : outcome.externalId,
            dryRun: destination.dryRun
        )
        logAttempt(attempt, delivery: delivery, destination: destination, final: number >= destination.maxAttempts)
        switch outcome {
        case .succeeded(let externalId, let status, _):
            return DeliveryResult(delivery: delivery, disposition: .succeeded(externalId: externalId), attempt: attempt, httpStatus: status)
        case .permanent(let reason, let status, let errorClass, _):
            return DeliveryResult(
                delivery: delivery,
                disposition: .dead,
                attempt: attempt,
                error: reason,
                errorClass: errorClass.rawValue,
                httpStatus: status
            )
        case .retryable(let reason, let status, let retryAfter, let errorClass, _):
            if errorClass == .cancelled || Task.isCancelled {
                // Shutdown interrupted the call: it does not count against the lead.
                return DeliveryResult(delivery: delivery, disposition: .handedBack)
            }
            if errorClass.suspendsDestination {
                // The destination's fault, not the lead's: logged, but no attempt spent.
                return DeliveryResult(
                    delivery: delivery,
                    disposition: .retrying(due: Date().addingTimeInterval(Self.suspendedRecheck.seconds), countsAsAttempt: false),
                    attempt: attempt,
                    error: reason,
                    errorClass: errorClass.rawValue,
                    httpStatus: status
                )
            }
            guard number < destination.maxAttempts else {
                return DeliveryResult(
                    delivery: delivery,
                    disposition: .dead,
                    attempt: attempt,
                    error: "gave up after \(number) attempts: \(reason)",
                    errorClass: errorClass.rawValue,
                    httpStatus: status
                )
            }
            let delay = RetryPolicy.delay(attemptsMade: number, destination: destination, hint: retryAfter)
            return DeliveryResult(
                delivery: delivery,
                disposition: .retrying(due: Date().addingTimeInterval(delay.seconds), countsAsAttempt: true),
                attempt: attempt,
                error: reason,
                errorClass: errorClass.rawValue,
                httpStatus: status
            )
        case .skipped:
            return DeliveryResult(delivery: delivery, disposition: .skipped)
        }
    }

    /// How often a suspended destination's deliveries look again (no call is made while it lasts).
    static let suspendedRecheck: Duration = .seconds(120)

    /// Suspends `destination` (its provider refused the credential): an error log line, a
    /// metric and an audit entry once, and this worker's cache updated at once.
    private func suspend(_ destination: Destination, reason: String) async {
        destinations.markSuspended(destination.id, reason: reason)
        do {
            guard try await destinationStore.suspend(destination.id, reason: reason) else { return }
            LeadRelayMetrics.shared.destinationSuspended(kind: destination.kind.rawValue)
            logger.error(
                "destination suspended: the provider refused its credential; its deliveries wait until it is replaced",
                metadata: [
                    "destination_id": .id(destination.id), "tenant_id": .id(destination.tenantId),
                    "destination_kind": "\(destination.kind.rawValue)", "reason": "\(reason)",
                ]
            )
        } catch {
            logger.warning("could not record a destination suspension", metadata: ["destination_id": .id(destination.id)])
        }
    }

    /// The provider refused the message because the recipient opted out with it (Twilio 21610):
    /// LeadRelay records the opt-out too, so the tenant's next messages are skipped before a call.
    private func recordProviderOptOut(_ message: OutboundMessage, destination: Destination) async {
        do {
            try await optOuts.set(
                true,
                tenantId: destination.tenantId,
                channel: message.channel,
                address: message.recipient,
                cause: "provider_error",
                actor: destination.kind.rawValue
            )
        } catch {
            logger.warning(
                "could not record an opt-out the provider reported",
                metadata: ["destination_id": .id(destination.id), "error": "\(String(reflecting: error).prefix(200))"]
            )
        }
    }

    /// One line per attempt (debug when it succeeded, info when it will be retried, warning when
    /// it was the last): ids, attempt number, duration, HTTP status and the classified reason.
    /// Lead contact details are never logged here.
    private func logAttempt(_ attempt: DeliveryResult.Attempt, delivery: ClaimedDelivery, destination: Destination, final: Bool) {
        var metadata: Logger.Metadata = [
            "delivery_id": "\(delivery.id)", "lead_id": "\(delivery.lead.id)", "destination_id": .id(destination.id),
            "tenant_id": .id(destination.tenantId), "destination_kind": "\(destination.kind.rawValue)",
            "attempt": "\(attempt.number)", "duration_ms": "\(attempt.durationMilliseconds)", "outcome": "\(attempt.outcome)",
        ]
        if let status = attempt.httpStatus { metadata["http_status"] = "\(status)" }
        if let errorClass = attempt.errorClass { metadata["error_class"] = "\(errorClass)" }
        if let reason = attempt.errorMessage { metadata["reason"] = "\(reason)" }
        switch attempt.outcome {
        case "succeeded": logger.debug("delivery attempt succeeded", metadata: metadata)
        case "retryable" where !final: logger.info("delivery attempt failed; will retry", metadata: metadata)
        default: logger.warning("delivery attempt failed", metadata: metadata)
        }
    }

    /// Takes a slot of `account`'s shared limit, waiting when it is near; nil to go ahead, or the
    /// result that puts the delivery off: rescheduled without an attempt when the slot is far
    /// (counted as `action`), or when Redis is unavailable (a CRM's limit is never risked), handed
    /// back on shutdown.
    private func takeSlot(
        _ delivery: ClaimedDelivery,
        account: String,
        requests: Int,
        interval: Int,
        kind: DestinationKind,
        action: String
    ) async -> DeliveryResult? {
        do {
            guard let throttledFor = try await waitForSlot(account: account, requests: requests, interval: interval, deliveryId: delivery.id)
            else { return nil }
            LeadRelayMetrics.shared.rateLimitWait(kind: kind.rawValue, action: action)
            return retryWithoutAttempt(delivery, after: throttledFor, reason: nil)
        } catch is CancellationError {
            return DeliveryResult(delivery: delivery, disposition: .handedBack)
        } catch {
            return retryWithoutAttempt(delivery, after: .seconds(5), reason: nil)
        }
    }

    /// Waits for a rate-limit slot; returns how long to reschedule for when none is near. A slot
    /// woken up late (a stalled process) is not used: sending on it could bunch calls together
    /// at the CRM, so a fresh slot is reserved instead (the stale one keeps counting, which only
    /// errs on the safe side).
    private func waitForSlot(account: String, requests: Int, interval: Int, deliveryId: Int64) async throws -> Duration? {
        for _ in 0..<5 {
            let decision = try await rateLimiter.reserve(
                account: account,
                requests: requests,
                intervalMilliseconds: interval,
                member: "\(deliveryId):\(UUID().uuidString.prefix(8))"
            )
            switch decision {
            case .throttled(let after):
                return after
            case .proceed(let after):
                let due = ContinuousClock.now + after
                if after > .zero { try await Task.sleep(until: due) }
                if ContinuousClock.now - due <= Self.slotLateness { return nil }
                logger.debug("rate-limit slot missed by a stall; reserving a new one", metadata: ["delivery_id": "\(deliveryId)"])
            }
        }
        return .seconds(1)
    }

    /// How late after its slot a call may still go out.
    static let slotLateness: Duration = .milliseconds(50)

    private func retryWithoutAttempt(
        _ delivery: ClaimedDelivery,
        after: Duration,
        reason: String?,
        errorClass: DeliveryErrorClass? = nil
    ) -> DeliveryResult {
        DeliveryResult(
            delivery: delivery,
            disposition: .retrying(due: Date().addingTimeInterval(after.seconds), countsAsAttempt: false),
            error: reason,
            errorClass: errorClass?.rawValue
        )
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
