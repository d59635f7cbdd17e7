import Foundation

/// What a dashboard session remembers: who signed in, and the token every form of the session
/// must echo back (CSRF).
public struct DashboardSession: Codable, Sendable {
    public var userId: UUID
    /// Random, per session; compared in constant time on every unsafe request.
    public var csrfToken: String
    public var signedInAt: Date

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case csrfToken = "csrf_token"
        case signedInAt = "signed_in_at"
    }
}
