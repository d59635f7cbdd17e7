import Foundation

extension DestinationClient {
    /// Reads the current status of `lead`'s item through the `monday_status` destination
    /// `destination` (``MondayStatusQuery``) within the destination's timeout: a sequence step's
    /// `only_if: {"crm_status": …}`, checked immediately before the step sends. Never throws: a
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
            let response = try await fetch(request, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork)
            return MondayStatusQuery.label(in: response, destination: destination, scrubber: request.scrubber)
        } catch {
            return .failed(DeliveryClassifier.classify(error: error, timeout: timeout, scrubber: request.scrubber))
        }
    }
}
