import ArgumentParser
import Foundation
import Shared

/// `leadctl tenant create|list|show|update|disable`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Manage tenants.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Disable.self]
    )

    static func lines(_ tenant: Tenant) -> [String] {
        [
            "\(tenant.slug)  \(tenant.name)  id=\(tenant.id.uuidString.lowercased())  region=\(tenant.defaultRegion)  tz=\(tenant.timezone)\(tenant.enabled ? "" : "  DISABLED")"
        ]
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")
        @Option(help: "Display name.") var name: String
        @Option(help: "URL-safe handle (default: from the name).") var slug: String?
        @Option(help: "Default phone region, ISO 3166 (US, GB, DE…).") var region = "US"
        @Option(help: "Time zone (e.g. America/Chicago).") var timezone = "UTC"
        @Option(help: "Where digests go.") var notificationEmail: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let tenant = try await CommandEnvironment.run { [name, slug, region, timezone, notificationEmail] environment in
                try await environment.tenants.create(
                    name: name,
                    slug: slug,
                    defaultRegion: region,
                    timezone: timezone,
                    notificationEmail: notificationEmail
                )
            }
            try emit(tenant, json: options.json) { TenantCommand.lines(tenant) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let tenants = try await CommandEnvironment.run { try await $0.tenants.list() }
            try emit(tenants, json: options.json) { tenants.flatMap(TenantCommand.lines) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant.")
        @Argument(help: "Id or slug.") var tenant: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let found = try await CommandEnvironment.run { [tenant] in try await $0.tenants.find(tenant) }
            try emit(found, json: options.json) { TenantCommand.lines(found) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a tenant.")
        @Argument(help: "Id or slug.") var tenant: String
        @Option var name: String?
        @Option var region: String?
        @Option var timezone: String?
        @Option var notificationEmail: String?
        @Flag(inversion: .prefixedEnableDisable, help: "Enable or disable.") var enabled: Bool?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let updated = try await CommandEnvironment.run { [tenant, name, region, timezone, notificationEmail, enabled] environment in
                var record = try await environment.tenants.find(tenant)
                if let name { record.name = name }
                if let region { record.defaultRegion = region.uppercased() }
                if let timezone { record.timezone = timezone }
                if let notificationEmail { record.notificationEmail = notificationEmail }
                if let enabled { record.enabled = enabled }
                return try await environment.tenants.update(record)
            }
            try emit(updated, json: options.json) { TenantCommand.lines(updated) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a tenant.")
        @Argument(help: "Id or slug.") var tenant: String
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let updated = try await CommandEnvironment.run { [tenant] environment in
                var record = try await environment.tenants.find(tenant)
                record.enabled = false
                return try await environment.tenants.update(record)
            }
            try emit(updated, json: options.json) { TenantCommand.lines(updated) }
        }
    }
}
