import Foundation
import Logging
import PostgresNIO

extension UserStore {
    /// Ends every dashboard session of a user (for `leadctl`, which runs without the web process's
    /// session store): the rows of `web_sessions` holding their id.
    public func endSessions(userId: UUID) async throws {
        try await client.query("DELETE FROM web_sessions WHERE value->>'user_id' = \(userId.uuidString)", logger: logger)
    }

    /// The user with this id or email (case-insensitive), if any.
    public func find(reference: String) async throws -> DashboardUser? {
        if let id = UUID(uuidString: reference) { return try await find(id: id) }
        return try await credentials(email: reference)?.user
    }
}
