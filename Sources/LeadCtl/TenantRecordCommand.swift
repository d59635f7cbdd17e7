import ArgumentParser
import Foundation
import Shared

/// A `leadctl` command over records that belong to a tenant and are named within it (destinations,
/// sources): their `list`, `show` and `disable` subcommands are ``ListRecords``, ``ShowRecord`` and
/// ``DisableRecord`` of it.
protocol TenantRecordCommand: ParsableCommand {
    /// Where the records are kept.
    associatedtype Store: TenantOwnedRecordStore

    /// What `disable` does, for its help.
    static var disableAbstract: String { get }

    /// The text lines printing `record`.
    static func lines(_ record: Store.Record) -> [String]
    /// The store of the records in `environment`.
    static func store(in environment: CommandEnvironment) -> Store
}

extension TenantRecordCommand {
    /// One record in words, the command's name (`destination`); the argument of `show` and `disable`
    /// is named after it.
    static var recordName: String { configuration.commandName ?? "record" }
    /// Several records in words: `destinations`.
    static var pluralName: String { recordName + "s" }
}

/// `leadctl <record> list [--tenant]`.
struct ListRecords<Command: TenantRecordCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: "List \(Command.pluralName).") }
    @Option(help: "Tenant id or slug (default: all).") var tenant: String?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let records = try await CommandEnvironment.run { [tenant] environment in
            try await Command.store(in: environment).list(tenantId: environment.tenantId(tenant))
        }
        try emit(records, json: options.json) { records.flatMap(Command.lines) }
    }
}

/// `leadctl <record> show <id or name> [--tenant]`.
struct ShowRecord<Command: TenantRecordCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "show", abstract: "Show one \(Command.recordName).") }
    @Argument(help: ArgumentHelp("Id or name.", valueName: Command.recordName)) var reference: String
    @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let found = try await CommandEnvironment.run { [reference, tenant] environment in
            try await Command.store(in: environment).find(reference, tenantId: environment.tenantId(tenant))
        }
        try emit(found, json: options.json) { Command.lines(found) }
    }
}

/// `leadctl <record> disable <id or name> [--tenant]`.
struct DisableRecord<Command: TenantRecordCommand>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "disable", abstract: Command.disableAbstract) }
    @Argument(help: ArgumentHelp("Id or name.", valueName: Command.recordName)) var reference: String
    @Option(help: "Tenant id or slug, when names are ambiguous.") var tenant: String?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let updated = try await CommandEnvironment.run { [reference, tenant] environment in
            var record = try await Command.store(in: environment).find(reference, tenantId: environment.tenantId(tenant))
            record.enabled = false
            return try await Command.store(in: environment).update(record)
        }
        try emit(updated, json: options.json) { Command.lines(updated) }
    }
}
