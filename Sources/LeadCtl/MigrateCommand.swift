import ArgumentParser
import Logging
import Shared

/// `leadctl migrate` — apply pending database migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let configuration = try AppConfiguration()
        var logger = Logger(label: "leadctl")
        logger.logLevel = .warning
        let applied = try await runMigrations(configuration: configuration, logger: logger)
        if options.json {
            try printJSON(["applied": applied])
        } else {
            print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
