import Logging
import Shared

/// Creates the first operator from `ADMIN_EMAIL`/`ADMIN_PASSWORD` when no user has that email
/// yet; an existing account is never changed (change passwords in the dashboard or with `leadctl`).
enum InitialAdmin {
    static func ensure(configuration: AppConfiguration, stores: DataStores, hasher: PasswordHasher, logger: Logger) async throws {
        guard let admin = configuration.initialAdmin else { return }
        let users = UserStore(client: stores.postgres, logger: logger)
        guard try await users.credentials(email: admin.email) == nil else { return }
        do {
            let user = try await users.create(email: admin.email, passwordHash: try await hasher.hash(admin.password), role: .operator, tenantId: nil)
            try await AuditLog(client: stores.postgres, logger: logger)
                .record(
                    actor: "system",
                    userId: user.id,
                    action: "user.create",
                    targetType: "user",
                    targetId: user.email,
                    details: JSONText.encode(["role": "operator", "from": "ADMIN_EMAIL"])
                )
            logger.notice("created the first operator from ADMIN_EMAIL", metadata: ["user_id": .id(user.id)])
        } catch StoreError.conflict {
            // Another web process created it at the same moment.
        }
    }
}
