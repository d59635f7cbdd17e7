import ArgumentParser
import Foundation
import Shared

/// `leadctl apikey create|list|revoke`.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Manage tenants' API keys (shown once, stored hashed).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    static func lines(_ key: APIKey) -> [String] {
        ["\(key.prefix)…  \(key.name)  id=\(key.id.uuidString.lowercased())  \(key.requestsPerMinute)/min\(key.revokedAt == nil ? "" : "  REVOKED")"]
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; it is printed once and cannot be shown again.")
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option(help: "What the key is for.") var name = "default"
        @Option(help: "Requests per minute allowed.") var requestsPerMinute = 1200
        @OptionGroup var options: GlobalOptions

        struct Created: Encodable {
            var key: String
            var record: APIKey
        }

        func run() async throws {
            let created = try await CommandEnvironment.run { [tenant, name, requestsPerMinute] environment in
                guard let tenantId = try await environment.tenantId(tenant) else { throw ValidationError("--tenant is required") }
                let (key, record) = try await environment.apiKeys.create(tenantId: tenantId, name: name, requestsPerMinute: requestsPerMinute)
                return Created(key: key, record: record)
            }
            try emit(created, json: options.json) {
                APIKeyCommand.lines(created.record) + ["", created.key, "", "Store this key now: it is not shown again."]
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (prefixes only).")
        @Option(help: "Tenant id or slug (default: all).") var tenant: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let keys = try await CommandEnvironment.run { [tenant] environment in
                try await environment.apiKeys.list(tenantId: environment.tenantId(tenant))
            }
            try emit(keys, json: options.json) { keys.flatMap(APIKeyCommand.lines) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")
        @Argument(help: "Key id or prefix (lr_xxxxxxxx).") var key: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let revoked = try await CommandEnvironment.run { [key] in try await $0.apiKeys.revoke(key) }
            try emit(revoked, json: options.json) { APIKeyCommand.lines(revoked) }
        }
    }
}
