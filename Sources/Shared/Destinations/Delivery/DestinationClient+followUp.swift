import Foundation

extension DestinationClient {
    /// The outcome of a request with a follow-up (``DeliveryFollowUp``) whose first call answered
    /// `first`: the second call is made within the destination's timeout and its answer
    /// classified by `adapter`.
    ///
    /// - Throws: what ``fetch(_:timeout:allowPrivateNetwork:)`` throws for the second call.
    func followUp(
        _ followUp: DeliveryFollowUp,
        after first: DeliveryResponse,
        of request: DeliveryRequest,
        to destination: Destination,
        adapter: any DestinationAdapter,
        timeout: Duration
    ) async throws -> DeliveryOutcome {
        let step = followUp.next(first)
        guard case .call(let second, let externalId) = step else {
            // `outcome(of:)` answers every step but a second call.
            return outcome(of: step, after: first, of: request, to: destination, adapter: adapter)
                ?? .permanent(reason: "the follow-up made no call", httpStatus: first.status, errorClass: .unexpectedResponse, responseExcerpt: nil)
        }
        let response = try await fetch(second, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork)
        let outcome = adapter.classify(
            response,
            destination: destination,
            scrubber: second.scrubber,
            excerptLimit: limits.excerptBytes,
            now: Date()
        )
        if case .succeeded(nil, let status, let excerpt) = outcome, let externalId {
            return .succeeded(externalId: externalId, httpStatus: status, responseExcerpt: excerpt)
        }
        return outcome
    }
}
