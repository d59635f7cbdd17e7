/// Whether a polled source's last polls worked (`source_polls.state`).
public enum SourcePollState: String, Sendable, Hashable, Codable {
    /// Polling works (or has not been tried yet).
    case ok
    /// The last poll failed for a reason someone has to fix (sheet not shared, bad token…).
    case error
}
