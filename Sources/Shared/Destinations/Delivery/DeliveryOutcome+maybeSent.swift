import Foundation

extension DeliveryOutcome {
    /// Whether the call may have reached the provider although no definite answer came back: the
    /// request may have been written before a timeout, a dropped connection (closed or reset
    /// mid-request), another transport failure or a cancellation. A refused or timed-out connect
    /// wrote nothing, and any HTTP answer is definite: neither counts.
    public var mayHaveBeenSent: Bool {
        guard case .retryable(let reason, nil, _, let errorClass, _) = self else { return false }
        switch errorClass {
        case .timeout, .transport, .cancelled:
            return true
        case .connection:
            // `connection` also covers connects that failed; only a connection lost after it was up counts.
            return reason.contains("closed the connection") || reason.localizedCaseInsensitiveContains("reset by peer")
        default:
            return false
        }
    }
}
