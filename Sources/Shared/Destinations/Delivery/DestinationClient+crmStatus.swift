import Foundation

extension DestinationClient {
    /// Reads the current status of `lead`'s item through the `monday_status` destination
    /// `destination` (``MondayStatusQuery``) within the destination's timeout: a sequence step's
    /// `only_if: {"crm_status": …}`, checked immediately before the step sends. When the
    /// destination finds items by a column value (`lookup_column_id`), the search comes first and
    /// its answer decides as it would a delivery's: no item skips, several fail. Never throws: a
    /// request that cannot be built is a permanent failure, a failed call a retryable one.
    public func readCRMStatus(of lead: DeliveryLead, at destination: Destination, secret: String?) async -> MondayStatusQuery.Reading {
        let request: DeliveryRequest
        do {
            request = try MondayStatusQuery.request(for: lead, destination: destination, secret: secret)
        } catch {
            return .failed(error.outcome)
        }
        let timeout = Duration.milliseconds(max(1, destination.timeoutMilliseconds))
        do {
            switch try await fetchFollowingUp(request, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork) {
            case .answer(let response, let sent):
                return MondayStatusQuery.label(in: response, destination: destination, scrubber: sent.scrubber)
            case .stopped(let step, let first):
                let outcome = outcome(of: step, after: first, of: request, to: destination, adapter: MondayStatusAdapter())
                return .failed(
                    outcome
                        ?? .permanent(
                            reason: "the item search made no read",
                            httpStatus: first.status,
                            errorClass: .unexpectedResponse,
                            responseExcerpt: nil
                        )
                )
            }
        } catch {
            return .failed(DeliveryClassifier.classify(error: error, timeout: timeout, scrubber: request.scrubber))
        }
    }
}
