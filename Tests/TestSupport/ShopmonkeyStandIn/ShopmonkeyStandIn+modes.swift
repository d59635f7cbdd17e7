import Synchronization

extension ShopmonkeyStandIn {
    /// Whether searches ignore `where` and return every record (what one integrator saw);
    /// initially false: `where.updatedDate` is honoured.
    public func ignoreWhere(_ ignores: Bool = true) {
        state.withLock { $0.ignoresWhere = ignores }
    }

    /// Whether pages overlap: each page after the first starts ``pageOverlap`` records earlier than
    /// `skip` asks (so records repeat across pages, yet none is unreachable); initially false.
    public func overlapPages(_ overlaps: Bool = true) {
        state.withLock { $0.overlapsPages = overlaps }
    }

    /// Whether searches ignore `orderBy` and sort by `id` (the reference says date ordering is
    /// ignored); initially false: `orderBy` `updatedDate` or `id`, `asc` or `desc`, is honoured.
    public func ignoreOrderBy(_ ignores: Bool = true) {
        state.withLock { $0.ignoresOrderBy = ignores }
    }

    /// Answers the next `count` authenticated requests with 429 and `Retry-After: retryAfter`
    /// (seconds), then serves again.
    public func rateLimitNextRequests(_ count: Int, retryAfter: Int = 1) {
        state.withLock {
            $0.rateLimited = count
            $0.retryAfter = retryAfter
        }
    }

    /// How many records earlier than asked each page after the first starts with ``overlapPages(_:)``.
    public static var pageOverlap: Int { State.pageOverlap }

    /// The most records a page holds, whatever `limit` asks.
    public static var pageCap: Int { State.pageCap }
}
