import Foundation

/// One source's activity over a digest's window.
public struct SourceDigest: Sendable, Hashable, Codable {
    public var tenantId: UUID
    public var tenantName: String
    public var sourceId: UUID
    public var sourceName: String
    /// The source's notification address, else its tenant's; nil when neither has one.
    public var recipient: String?
    /// Leads stored in the window (accepted + spam).
    public var newLeads: Int
    public var accepted: Int
    /// Leads that were already known: duplicates of webhook requests and CSV imports (the bulk
    /// API and forms report duplicates to the sender without storing a record of them).
    public var duplicates: Int
    public var spam: Int
    /// Deliveries of the source's leads last changed in the window, by their current status.
    public var succeeded: Int
    public var dead: Int
    public var retrying: Int
    /// The most frequent reasons of failed attempts in the window, at most three.
    public var topErrors: [DigestErrorCount]

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case tenantName = "tenant"
        case sourceId = "source_id"
        case sourceName = "source"
        case recipient
        case newLeads = "new_leads"
        case accepted, duplicates, spam, succeeded, dead, retrying
        case topErrors = "top_errors"
    }

    /// The source's section of a digest, as text lines.
    public var textLines: [String] {
        var lines = [
            "\(sourceName) (\(tenantName))",
            "  new leads: \(newLeads) (accepted \(accepted), duplicates \(duplicates), spam \(spam))",
            "  deliveries: succeeded \(succeeded), dead \(dead), retrying \(retrying)",
        ]
        if !topErrors.isEmpty {
            lines.append("  top errors:")
            lines += topErrors.map { "    \($0.count)× \($0.reason)" }
        }
        return lines
    }
}

/// A failure reason and how many failed attempts gave it.
public struct DigestErrorCount: Sendable, Hashable, Codable {
    public var reason: String
    public var count: Int

    /// `count` failed attempts gave `reason`.
    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

/// Every source's activity since a point in time.
public struct DigestReport: Sendable, Hashable, Codable {
    public var since: Date
    public var until: Date
    /// By tenant name, then source name.
    public var sources: [SourceDigest]

    /// The digest as text: a heading and one section per source.
    public func textLines(_ sources: [SourceDigest]? = nil) -> [String] {
        var lines = ["LeadRelay digest \(since.formatted(.iso8601)) – \(until.formatted(.iso8601))"]
        for source in sources ?? self.sources {
            lines.append("")
            lines += source.textLines
        }
        return lines
    }
}
