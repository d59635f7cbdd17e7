import ArgumentParser
import Foundation
import Shared

/// `leadctl source create|list|show|update|disable|poll`.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Manage sources (API channels, forms, CSV targets, webhooks, polled sheets and Shopmonkey).",
        subcommands: [Create.self, ListRecords<Self>.self, Show.self, Update.self, DisableRecord<Self>.self, Poll.self]
    )

    static func lines(_ source: Source) -> [String] {
        let preset = source.preset.map { "/\($0.rawValue)" } ?? ""
        return [
            "\(source.name)  \(source.kind.rawValue)\(preset)  id=\(source.id.uuidString.lowercased())  token=\(source.token)  destinations=\(source.destinationIds.count)\(source.enabled ? "" : "  DISABLED")"
        ]
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a source.")
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option var name: String
        @Option(help: "api, form, csv, webhook, sheet or shopmonkey_poll.") var kind: String
        @Option(help: "Webhook preset: generic, zapier, facebook, monday, shopmonkey, twilio, whatsapp, email.") var preset: String?
        @Option(name: .customLong("destination"), help: "Destination id or name (repeatable).") var destinations: [String] = []
        @Option(help: #"Field map JSON, e.g. {"Which location?": "extra.location"}."#) var fieldMap: String?
        @Option(help: #"Non-secret config JSON (form fields, thank-you URL, twilio {"public_url": "https://…/hooks/{token}"}…)."#)
        var config: String?
        @Option(
            name: .customLong("secret"),
            help: ArgumentHelp(
                "NAME=VALUE or NAME=@file, sealed with LEADRELAY_SECRET_KEY (repeatable): signing_secret, verify_token, "
                    + "app_secret, page_token, api_token, auth_token (twilio), service_account (sheet: =@key.json)."
            )
        )
        var secrets: [String] = []
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let kind = try ConfigurationInput.sourceKind(self.kind)
            let preset = try ConfigurationInput.preset(self.preset, kind: kind)
            let assignments = try SourceCommand.secretAssignments(secrets)
            let fieldMap = try parseJSON([String: String].self, fieldMap, option: "--field-map") ?? [:]
            let config = try parseJSON([String: JSONValue].self, config, option: "--config") ?? [:]
            let created = try await CommandEnvironment.run { [tenant, name, destinations] environment in
                guard let tenantId = try await environment.tenantId(tenant) else { throw ValidationError("--tenant is required") }
                let destinationIds = try await environment.destinationIds(destinations, tenantId: tenantId)
                let sealed = try await environment.sources.resealedSecrets(
                    sourceId: nil,
                    applying: assignments,
                    box: environment.configuration.secretBox
                )
                return try await environment.sources.create(
                    tenantId: tenantId,
                    name: name,
                    kind: kind,
                    preset: preset,
                    config: config,
                    fieldMap: fieldMap,
                    sealedSecrets: sealed,
                    destinationIds: destinationIds
                )
            }
            try emit(created, json: options.json) { SourceCommand.lines(created) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a source.")
        @Argument(help: "Id or name.") var source: String
        @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
        @Option var name: String?
        @Option(name: .customLong("destination"), help: "Replace the destinations (repeatable).") var destinations: [String] = []
        @Option(help: "Field map JSON.") var fieldMap: String?
        @Option(help: "Config JSON.") var config: String?
        @Option(name: .customLong("secret"), help: "NAME=VALUE or NAME=@file (empty clears), sealed (repeatable).") var secrets: [String] = []
        @Flag(inversion: .prefixedEnableDisable, help: "Enable or disable.") var enabled: Bool?
        @Option(help: "The follow-up sequence new leads enter (id or name; empty: none).") var sequence: String?
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let fieldMap = try parseJSON([String: String].self, fieldMap, option: "--field-map")
            let config = try parseJSON([String: JSONValue].self, config, option: "--config")
            let assignments = try SourceCommand.secretAssignments(secrets)
            let updated = try await CommandEnvironment.run { [source, tenant, name, destinations, enabled, sequence] environment in
                var record = try await environment.sources.find(source, tenantId: environment.tenantId(tenant))
                if let sequence {
                    let sequences = SequenceStore(client: environment.postgres, logger: environment.logger)
                    let target = sequence.isEmpty ? nil : try await sequences.find(sequence, tenantId: record.tenantId)
                    try await sequences.assign(target, toSource: record.id, tenantId: record.tenantId, actor: SequenceCommand.actor)
                }
                if let name { record.name = name }
                if let fieldMap { record.fieldMap = fieldMap }
                if let config { record.config = config }
                if let enabled { record.enabled = enabled }
                if !destinations.isEmpty {
                    let ids = try await environment.destinationIds(destinations, tenantId: record.tenantId)
                    try await environment.sources.setDestinations(sourceId: record.id, tenantId: record.tenantId, destinationIds: ids)
                }
                let sealed = try await environment.sources.resealedSecrets(
                    sourceId: record.id,
                    applying: assignments,
                    box: environment.configuration.secretBox
                )
                return try await environment.sources.update(record, sealedSecrets: sealed)
            }
            try emit(updated, json: options.json) { SourceCommand.lines(updated) }
        }
    }
}

extension SourceCommand: TenantRecordCommand {
    static let disableAbstract = "Disable a source (its URLs stop accepting leads)."
    static func store(in environment: CommandEnvironment) -> SourceStore { environment.sources }
}

/// Decodes an optional JSON option value, naming the option in the error.
func parseJSON<T: Decodable>(_ type: T.Type, _ text: String?, option: String) throws -> T? {
    do {
        return try ConfigurationInput.json(type, text, field: option)
    } catch {
        throw ValidationError(error.description)
    }
}
