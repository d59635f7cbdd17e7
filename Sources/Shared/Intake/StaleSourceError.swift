import Foundation

/// The copy of a source a webhook was handled with is no longer current (changed, disabled or
/// deleted since it was read, or read from a cache for an outcome that needs a current copy).
/// Nothing was stored; read the source again and handle the request again.
public struct StaleSourceError: Error, CustomStringConvertible {
    public var sourceId: UUID

    /// Describes a stale copy of source `sourceId`.
    public init(sourceId: UUID) {
        self.sourceId = sourceId
    }

    public var description: String { "source \(sourceId) changed while the request was handled" }
}
