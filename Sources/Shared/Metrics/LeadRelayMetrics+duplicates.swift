import Prometheus

extension LeadRelayMetrics {
    /// Counts a message sent again, without proof, after an attempt that may already have sent it
    /// (`delivery_attempts.possible_duplicate`): the person may have it twice.
    public func possibleDuplicateSend(kind: String) {
        registry.makeCounter(
            descriptor: Self.descriptor(
                "leadrelay_possible_duplicate_sends_total",
                help: "Messages sent again after an attempt that may already have sent them (no provider check could rule it out)"
            ),
            labels: [("kind", kind)]
        ).increment()
    }
}
