import ArgumentParser
import Logging
import Shared

/// `leadctl` — the operator's command line: tenants, keys, sources, destinations, deliveries.
@main
struct LeadCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadctl",
        abstract: "Operate LeadRelay: tenants, API keys, sources, destinations, deliveries.",
        discussion: "Reads DATABASE_URL, REDIS_URL and LEADRELAY_SECRET_KEY from the environment. Every command accepts --json.",
        subcommands: [
            MigrateCommand.self, TenantCommand.self, APIKeyCommand.self, SourceCommand.self, DestinationCommand.self,
            EventsCommand.self, DeliveriesCommand.self, StatusCommand.self, DemoCommand.self, SecretsCommand.self,
            LeadsCommand.self, ExportCommand.self, ReconcileCommand.self, DigestCommand.self, UserCommand.self, OptOutsCommand.self,
            SequenceCommand.self,
        ]
    )
}

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false
}
