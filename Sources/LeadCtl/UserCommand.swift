import ArgumentParser
import Foundation
import Shared

/// `leadctl user create|list|disable|enable|reset-password`: dashboard sign-ins. Prompt-free:
/// a password comes from standard input (`--password-stdin`) or is generated and printed once.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage dashboard users (operators and tenant members).",
        subcommands: [Create.self, List.self, Disable.self, Enable.self, ResetPassword.self]
    )

    static func lines(_ user: DashboardUser) -> [String] {
        let tenant = user.tenantId.map { "  tenant=\($0.uuidString.lowercased())" } ?? ""
        return ["\(user.email)  \(user.role.rawValue)  id=\(user.id.uuidString.lowercased())\(tenant)\(user.enabled ? "" : "  DISABLED")"]
    }

    /// A user and, when it was generated, the password (printed once).
    struct WithPassword: Encodable {
        var user: DashboardUser
        var password: String?
    }

    /// The password from standard input, or a generated one (then also returned for printing).
    static func password(fromStandardInput: Bool) async throws -> (password: String, generated: String?) {
        guard fromStandardInput else {
            let generated = PasswordInput.generate()
            return (generated, generated)
        }
        let password = try await PasswordInput.readStandardInput()
        if let problem = PasswordHasher.problem(with: password) { throw ValidationError("the password \(problem)") }
        return (password, nil)
    }

    static func passwordLines(_ result: WithPassword) -> [String] {
        lines(result.user) + (result.password.map { ["", "password: \($0)", "", "Store this password now: it is not shown again."] } ?? [])
    }

    /// The user named by id or email; a not-found error otherwise.
    static func find(_ reference: String, in environment: CommandEnvironment) async throws -> DashboardUser {
        guard let user = try await environment.userStore.find(reference: reference) else {
            throw StoreError.notFound(kind: "user", reference: reference)
        }
        return user
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; without --password-stdin a password is generated and printed once.")
        @Option(help: "Sign-in email.") var email: String
        @Option(help: "Tenant id or slug (members).") var tenant: String?
        @Option(help: "operator or member (default: member with --tenant, else required).") var role: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let role: DashboardUser.Role
            switch (self.role, tenant) {
            case (nil, nil): throw ValidationError("give --tenant for a member, or --role operator")
            case (nil, _?): role = .member
            case (let text?, _):
                guard let parsed = DashboardUser.Role(rawValue: text) else { throw ValidationError("--role must be operator or member") }
                role = parsed
            }
            if role == .operator, tenant != nil { throw ValidationError("operators belong to no tenant; drop --tenant") }
            if role == .member, tenant == nil { throw ValidationError("a member needs --tenant") }
            let (password, generated) = try await UserCommand.password(fromStandardInput: passwordStdin)
            let hash = try await PasswordHasher().hash(password)
            let created = try await CommandEnvironment.run { [email, tenant] environment in
                let user = try await environment.userStore.create(
                    email: email,
                    passwordHash: hash,
                    role: role,
                    tenantId: environment.tenantId(tenant)
                )
                try await environment.auditLog.record(
                    actor: "leadctl",
                    userId: user.id,
                    tenantId: user.tenantId,
                    action: "user.create",
                    targetType: "user",
                    targetId: user.email,
                    details: JSONText.encode(["role": role.rawValue])
                )
                return user
            }
            let result = WithPassword(user: created, password: generated)
            try emit(result, json: options.json) { UserCommand.passwordLines(result) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @Option(help: "Tenant id or slug (default: all users).") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let users = try await CommandEnvironment.run { [tenant] environment in
                try await environment.userStore.list(tenantId: environment.tenantId(tenant))
            }
            try emit(users, json: options.json) { users.flatMap(UserCommand.lines) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and end their sessions.")
        @Argument(help: "Email or id.") var user: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let updated = try await UserCommand.setEnabled(false, user)
            try emit(updated, json: options.json) { UserCommand.lines(updated) }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a user again.")
        @Argument(help: "Email or id.") var user: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let updated = try await UserCommand.setEnabled(true, user)
            try emit(updated, json: options.json) { UserCommand.lines(updated) }
        }
    }

    static func setEnabled(_ enabled: Bool, _ reference: String) async throws -> DashboardUser {
        try await CommandEnvironment.run { environment in
            let user = try await UserCommand.find(reference, in: environment)
            let updated = try await environment.userStore.setEnabled(enabled, id: user.id)
            if !enabled { try await environment.userStore.endSessions(userId: user.id) }
            try await environment.auditLog.record(
                actor: "leadctl",
                userId: user.id,
                tenantId: user.tenantId,
                action: enabled ? "user.enable" : "user.disable",
                targetType: "user",
                targetId: user.email
            )
            return updated
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (from standard input, or generated and printed once) and end the user's sessions."
        )
        @Argument(help: "Email or id.") var user: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let (password, generated) = try await UserCommand.password(fromStandardInput: passwordStdin)
            let hash = try await PasswordHasher().hash(password)
            let updated = try await CommandEnvironment.run { [user] environment in
                let found = try await UserCommand.find(user, in: environment)
                try await environment.userStore.setPasswordHash(hash, id: found.id)
                try await environment.userStore.endSessions(userId: found.id)
                try await environment.auditLog.record(
                    actor: "leadctl",
                    userId: found.id,
                    tenantId: found.tenantId,
                    action: "user.password_reset",
                    targetType: "user",
                    targetId: found.email
                )
                return found
            }
            let result = WithPassword(user: updated, password: generated)
            try emit(result, json: options.json) { UserCommand.passwordLines(result) }
        }
    }
}

extension CommandEnvironment {
    /// Dashboard users.
    var userStore: UserStore { UserStore(client: postgres, logger: logger) }
    /// The audit log (`leadctl` is the actor).
    var auditLog: AuditLog { AuditLog(client: postgres, logger: logger) }
}
