import Foundation

extension DestinationClient {
    /// Bytes of a duplicate check's answer read at most: a page of Twilio messages is larger than
    /// a delivery's answer. A longer answer cannot be read whole and proves nothing.
    static let duplicateCheckMaxBytes = 512 * 1_024

    /// Makes `check` at `destination` within its timeout and reads the answer. Never throws: a
    /// failed call, or an answer too long to read whole, is ``DuplicateCheckResult/unknown(reason:)``
    /// (the caller then sends again). A check whose request has a follow-up (monday: find the item,
    /// then read it) makes the second call too and reads its answer; a follow-up that stops after
    /// the first call is unknown. Never called for dry-run destinations.
    public func run(_ check: DuplicateCheck, at destination: Destination) async -> DuplicateCheckResult {
        let timeout = Duration.milliseconds(max(1, destination.timeoutMilliseconds))
        let reader = DestinationClient(
            httpClient: httpClient,
            logger: logger,
            limits: Limits(maxResponseBytes: Self.duplicateCheckMaxBytes, excerptBytes: limits.excerptBytes)
        )
        do {
            let answer = try await reader.fetchFollowingUp(check.request, timeout: timeout, allowPrivateNetwork: destination.allowPrivateNetwork)
            switch answer {
            case .answer(let response, _):
                guard !response.bodyTruncated else { return .unknown(reason: "the answer was longer than \(Self.duplicateCheckMaxBytes) bytes") }
                return check.interpret(response)
            case .stopped(let step, let first):
                let outcome = DestinationRegistry.adapter(for: destination.kind).flatMap {
                    reader.outcome(of: step, after: first, of: check.request, to: destination, adapter: $0)
                }
                return .unknown(reason: outcome?.reason ?? "the check's first call gave nothing to read")
            }
        } catch {
            let outcome = DeliveryClassifier.classify(error: error, timeout: timeout, scrubber: check.request.scrubber)
            return .unknown(reason: outcome.reason ?? "the check failed")
        }
    }
}
