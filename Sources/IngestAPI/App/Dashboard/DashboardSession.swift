import Foundation

/// What a dashboard session remembers: who signed in, the token every form of the session
/// must echo back (CSRF), and a notice for the next page.
public struct DashboardSession: Codable, Sendable {
    public var userId: UUID
    /// Random, per session; compared in constant time on every unsafe request.
    public var csrfToken: String
    public var signedInAt: Date
    /// A one-line notice the server wrote for the next page (e.g. "User … created."), shown once.
    public var notice: String?

    /// A session of `userId` signed in at `signedInAt`.
    public init(userId: UUID, csrfToken: String, signedInAt: Date, notice: String? = nil) {
        self.userId = userId
        self.csrfToken = csrfToken
        self.signedInAt = signedInAt
        self.notice = notice
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case csrfToken = "csrf_token"
        case signedInAt = "signed_in_at"
        case notice
    }
}
