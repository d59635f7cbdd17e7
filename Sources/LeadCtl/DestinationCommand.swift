import ArgumentParser
import Foundation
import Shared

/// `leadctl destination create|list|show|update|disable`.
struct DestinationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destination",
        abstract: "Manage destinations (secrets are sealed and never printed).",
        subcommands: [
            Create.self, ListRecords<Self>.self, ShowRecord<Self>.self, Update.self, DisableRecord<Self>.self, Kinds.self,
        ]
    )

    static func lines(_ destination: Destination) -> [String] {
        var flags: [String] = []
        if destination.dryRun { flags.append("DRY-RUN") }
        if !destination.enabled { flags.append("DISABLED") }
        if destination.hasSecret { flags.append("secret set") }
        if destination.allowPrivateNetwork { flags.append("PRIVATE-NETWORK-ALLOWED") }
        let id = destination.id.uuidString.lowercased()
        var lines = [
            "\(destination.name)  \(destination.kind.rawValue)  id=\(id)  account=\(destination.accountKey)  \(flags.joined(separator: " "))"
        ]
        if let suspendedAt = destination.suspendedAt {
            let since = ISO8601DateFormatter().string(from: suspendedAt)
            lines.append("  SUSPENDED since \(since): \(destination.suspendedReason ?? "credential refused")")
            lines.append("  its deliveries wait; replace the credential: leadctl destination update \(destination.name) --secret …")
        }
        return lines
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a destination.")
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option(help: "\(DestinationRegistry.kindList).") var kind: String
        @Option var name: String
        @Option(help: #"Non-secret config JSON, e.g. {"locationId": "…"}."#) var config = "{}"
        @Option(help: "API token / key; sealed with LEADRELAY_SECRET_KEY.") var secret: String?
        @Option(help: "Override the CRM's base URL.") var baseURL: String?
        @Flag(help: "Build and log requests without sending them.") var dryRun = false
        @Flag(help: "Allow calls to private, loopback and link-local addresses (an on-premises CRM).")
        var allowPrivateNetwork = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let kind = try ConfigurationInput.destinationKind(self.kind)
            let baseURL = try ConfigurationInput.baseURL(self.baseURL)
            let config = try ConfigurationInput.destinationConfig(
                parseJSON([String: JSONValue].self, config, option: "--config") ?? [:],
                kind: kind
            )
            let created = try await CommandEnvironment.run { [tenant, name, secret, baseURL, dryRun, allowPrivateNetwork] environment in
                guard let tenantId = try await environment.tenantId(tenant) else { throw ValidationError("--tenant is required") }
                var destination = Destination.withDefaults(
                    tenantId: tenantId,
                    name: name,
                    kind: kind,
                    config: config,
                    baseURL: baseURL,
                    dryRun: dryRun
                )
                destination.allowPrivateNetwork = allowPrivateNetwork
                try await environment.refusePrivateTargets(of: destination)
                let sealed = try secret.map { try environment.configuration.secretBox.seal($0) }
                return try await environment.destinations.create(destination, sealedSecret: sealed)
            }
            try emit(created, json: options.json) { DestinationCommand.lines(created) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a destination.")
        @Argument(help: "Id or name.") var destination: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Option var name: String?
        @Option(help: "Config JSON (replaces the config).") var config: String?
        @Option(help: "New secret (sealed).") var secret: String?
        @Option(help: "Base URL override.") var baseURL: String?
        @Option(help: "Maximum attempts.") var maxAttempts: Int?
        @Flag(inversion: .prefixedEnableDisable, help: "Enable or disable.") var enabled: Bool?
        @Flag(inversion: .prefixedNo, help: "Dry run on or off.") var dryRun: Bool?
        @Flag(inversion: .prefixedNo, help: "Allow calls to private networks (an on-premises CRM) or not.")
        var allowPrivateNetwork: Bool?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try parseJSON([String: JSONValue].self, config, option: "--config")
            let updated = try await CommandEnvironment.run {
                [destination, tenant, name, secret, baseURL, maxAttempts, enabled, dryRun, allowPrivateNetwork] environment in
                var record = try await environment.destinations.find(destination, tenantId: environment.tenantId(tenant))
                if let name { record.name = name }
                if let config { record.config = try ConfigurationInput.destinationConfig(config, kind: record.kind) }
                if let baseURL { record.baseURL = baseURL.isEmpty ? nil : baseURL }
                if let maxAttempts { record.maxAttempts = maxAttempts }
                if let enabled { record.enabled = enabled }
                if let dryRun { record.dryRun = dryRun }
                if let allowPrivateNetwork { record.allowPrivateNetwork = allowPrivateNetwork }
                try await environment.refusePrivateTargets(of: record)
                let sealed = try secret.map { try environment.configuration.secretBox.seal($0) }
                return try await environment.destinations.update(record, sealedSecret: sealed)
            }
            try emit(updated, json: options.json) { DestinationCommand.lines(updated) }
        }
    }
}

extension DestinationCommand: TenantRecordCommand {
    static let disableAbstract = "Disable a destination (new leads stop fanning out to it)."
    static func store(in environment: CommandEnvironment) -> DestinationStore { environment.destinations }
}
