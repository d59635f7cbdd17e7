import Foundation
import Logging
import PostgresNIO

/// Dashboard users in PostgreSQL. Emails are unique case-insensitively; passwords are stored
/// only as bcrypt hashes made by ``PasswordHasher``.
public struct UserStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "id, email, role, tenant_id, enabled, last_login_at, created_at"

    private func decode(_ rows: PostgresRowSequence) async throws -> [DashboardUser] {
        var users: [DashboardUser] = []
        for try await row in rows.decode(DashboardUser.Columns.self) {
            users.append(DashboardUser(row))
        }
        return users
    }

    /// Why `email` is not a usable sign-in address, or nil.
    public static func problem(withEmail email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254,
            !email.contains(where: { $0.isWhitespace })
        else { return "is not an email address" }
        return nil
    }

    /// Creates a user; members need a tenant, operators must not have one.
    public func create(email: String, passwordHash: String, role: DashboardUser.Role, tenantId: UUID?) async throws -> DashboardUser {
        let email = email.trimmingCharacters(in: .whitespaces)
        if let problem = Self.problem(withEmail: email) { throw StoreError.invalid(field: "email", message: problem) }
        if role == .member, tenantId == nil { throw StoreError.invalid(field: "tenant", message: "a member belongs to one tenant") }
        let tenantId = role == .operator ? nil : tenantId
        return try await client.translatingErrors(entity: "user") {
            let rows = try await client.query(
                """
                INSERT INTO users (email, password_hash, role, tenant_id) VALUES (\(email), \(passwordHash), \(role.rawValue), \(tenantId))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let user = try await decode(rows).first else { throw StoreError.conflict("user was not created") }
            return user
        }
    }

    /// The user with this id, if any (within `tenantId` when given).
    public func find(id: UUID, tenantId: UUID? = nil) async throws -> DashboardUser? {
        try await decode(
            client.query(
                """
                SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId))
                """,
                logger: logger
            )
        ).first
    }

    /// The user and password hash for a sign-in attempt (email compared case-insensitively).
    public func credentials(email: String) async throws -> (user: DashboardUser, passwordHash: String)? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), password_hash FROM users WHERE lower(email) = lower(\(email.trimmingCharacters(in: .whitespaces)))
            """,
            logger: logger
        )
        for try await (id, email, role, tenantId, enabled, lastLogin, createdAt, hash) in rows.decode(
            (UUID, String, String, UUID?, Bool, Date?, Date, String).self
        ) {
            return (DashboardUser((id, email, role, tenantId, enabled, lastLogin, createdAt)), hash)
        }
        return nil
    }

    /// Users, by email; only `tenantId`'s when given.
    public func list(tenantId: UUID? = nil) async throws -> [DashboardUser] {
        try await decode(
            client.query(
                """
                SELECT \(unescaped: Self.columns) FROM users WHERE (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)) ORDER BY lower(email)
                """,
                logger: logger
            )
        )
    }

    /// Whether any operator exists (the first one may be created from the environment).
    public func hasOperator() async throws -> Bool {
        let rows = try await client.query("SELECT count(*) FROM users WHERE role = 'operator'", logger: logger)
        for try await count in rows.decode(Int.self) { return count > 0 }
        return false
    }

    /// Records a successful sign-in.
    public func recordLogin(_ id: UUID) async throws {
        try await client.query("UPDATE users SET last_login_at = now() WHERE id = \(id)", logger: logger)
    }

    /// Enables or disables a user (within `tenantId` when given); a disabled user's sessions stop working.
    @discardableResult
    public func setEnabled(_ enabled: Bool, id: UUID, tenantId: UUID? = nil) async throws -> DashboardUser {
        let rows = try await client.query(
            """
            UPDATE users SET enabled = \(enabled), updated_at = now()
            WHERE id = \(id) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)) RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )
        guard let user = try await decode(rows).first else { throw StoreError.notFound(kind: "user", reference: id.uuidString) }
        return user
    }

    /// Replaces a user's password hash.
    public func setPasswordHash(_ hash: String, id: UUID) async throws {
        let rows = try await client.query(
            "UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(id) RETURNING id",
            logger: logger
        )
        for try await _ in rows { return }
        throw StoreError.notFound(kind: "user", reference: id.uuidString)
    }

    /// Deletes a user (within `tenantId` when given); their audit entries stay, without the link.
    public func delete(id: UUID, tenantId: UUID? = nil) async throws {
        let rows = try await client.query(
            """
            DELETE FROM users WHERE id = \(id) AND (\(tenantId)::uuid IS NULL OR tenant_id = \(tenantId)) RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows { return }
        throw StoreError.notFound(kind: "user", reference: id.uuidString)
    }
}

extension DashboardUser {
    /// A user's columns as the store selects them: id, email, role, tenant, enabled, last login, created.
    typealias Columns = (UUID, String, String, UUID?, Bool, Date?, Date)

    /// The user read from `row` (an unknown role reads as a member).
    init(_ row: Columns) {
        let (id, email, role, tenantId, enabled, lastLogin, createdAt) = row
        self.init(
            id: id,
            email: email,
            role: Role(rawValue: role) ?? .member,
            tenantId: tenantId,
            enabled: enabled,
            lastLoginAt: lastLogin,
            createdAt: createdAt
        )
    }
}
