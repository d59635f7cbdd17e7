import Foundation

extension DestinationClient {
    /// What sending a request with its follow-up (``DeliveryFollowUp``) came to.
    enum FollowedAnswer: Sendable {
        /// The last call's answer (the second when one was made) and the request that got it.
        case answer(DeliveryResponse, of: DeliveryRequest)
        /// The follow-up made no second call: its step and the first answer.
        case stopped(DeliveryFollowUp.Step, first: DeliveryResponse)
    }

    /// Sends `request` and, when its follow-up asks for one, the second call: the reads that
    /// need a delivery's first call too (a CRM status, a duplicate check).
    ///
    /// - Throws: what ``fetch(_:timeout:allowPrivateNetwork:)`` throws for either call.
    func fetchFollowingUp(_ request: DeliveryRequest, timeout: Duration, allowPrivateNetwork: Bool) async throws -> FollowedAnswer {
        let first = try await fetch(request, timeout: timeout, allowPrivateNetwork: allowPrivateNetwork)
        guard let followUp = request.followUp else { return .answer(first, of: request) }
        let step = followUp.next(first)
        guard case .call(let second, _) = step else { return .stopped(step, first: first) }
        return .answer(try await fetch(second, timeout: timeout, allowPrivateNetwork: allowPrivateNetwork), of: second)
    }

    /// The outcome of a follow-up `step` that makes no second call, after `request` answered
    /// `first`; nil for ``DeliveryFollowUp/Step/call(_:externalId:)``.
    func outcome(
        of step: DeliveryFollowUp.Step,
        after first: DeliveryResponse,
        of request: DeliveryRequest,
        to destination: Destination,
        adapter: any DestinationAdapter
    ) -> DeliveryOutcome? {
        func excerpt() -> String? {
            ResponseExcerpt.make(first.body, truncated: first.bodyTruncated, limit: limits.excerptBytes, scrubber: request.scrubber)
        }
        switch step {
        case .call:
            return nil
        case .classifyFirst:
            return DeliveryClassifier.classify(
                first,
                by: adapter,
                destination: destination,
                scrubber: request.scrubber,
                excerptLimit: limits.excerptBytes,
                now: Date()
            )
        case .classifyFirstByAdapter:
            return adapter.classify(first, destination: destination, scrubber: request.scrubber, excerptLimit: limits.excerptBytes, now: Date())
        case .unexpected(let reason):
            return .permanent(
                reason: DeliveryClassifier.scrubbed(reason, request.scrubber),
                httpStatus: first.status,
                errorClass: .unexpectedResponse,
                responseExcerpt: excerpt()
            )
        case .skip(let reason):
            return .skipped(reason: DeliveryClassifier.scrubbed(reason, request.scrubber), errorClass: .noAddress)
        case .fail(let reason, let errorClass):
            return .permanent(
                reason: DeliveryClassifier.scrubbed(reason, request.scrubber),
                httpStatus: first.status,
                errorClass: errorClass,
                responseExcerpt: excerpt()
            )
        }
    }
}
