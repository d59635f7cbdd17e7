import Foundation

/// How a polled source is doing (its `source_polls` row) and its newest polls, for
/// `leadctl source show` and the source's dashboard page.
public struct SourcePollStatus: Sendable, Hashable, Codable {
    public var sourceId: UUID
    public var state: SourcePollState
    /// Why polling fails, while ``state`` is `error` (`header changed: …`, `403 PERMISSION_DENIED: …`).
    public var errorReason: String?
    /// When the source went into its error state.
    public var errorSince: Date?
    /// Consecutive failed polls.
    public var failures: Int
    /// When the source is due; a worker picks it up soon after.
    public var nextPollAt: Date
    public var lastPolledAt: Date?
    public var lastSuccessAt: Date?
    /// The worker polling it right now (its lease is live); nil otherwise.
    public var leaseHolder: String?
    /// Whether the next poll takes the sheet's current header as the expected one.
    public var acceptHeaderPending: Bool
    /// The newest polls, newest first.
    public var runs: [PollRun]

    /// Creates a status.
    public init(
        sourceId: UUID,
        state: SourcePollState,
        errorReason: String? = nil,
        errorSince: Date? = nil,
        failures: Int = 0,
        nextPollAt: Date,
        lastPolledAt: Date? = nil,
        lastSuccessAt: Date? = nil,
        leaseHolder: String? = nil,
        acceptHeaderPending: Bool = false,
        runs: [PollRun] = []
    ) {
        self.sourceId = sourceId
        self.state = state
        self.errorReason = errorReason
        self.errorSince = errorSince
        self.failures = failures
        self.nextPollAt = nextPollAt
        self.lastPolledAt = lastPolledAt
        self.lastSuccessAt = lastSuccessAt
        self.leaseHolder = leaseHolder
        self.acceptHeaderPending = acceptHeaderPending
        self.runs = runs
    }

    /// Whether the error is a changed sheet header, which `--accept-header` (or the dashboard's
    /// button) resolves by taking the new header as the expected one.
    public var isHeaderChange: Bool { state == .error && (errorReason?.hasPrefix("header changed") ?? false) }

    enum CodingKeys: String, CodingKey {
        case state, failures, runs
        case sourceId = "source_id"
        case errorReason = "error_reason"
        case errorSince = "error_since"
        case nextPollAt = "next_poll_at"
        case lastPolledAt = "last_polled_at"
        case lastSuccessAt = "last_success_at"
        case leaseHolder = "lease_holder"
        case acceptHeaderPending = "accept_header"
    }
}
