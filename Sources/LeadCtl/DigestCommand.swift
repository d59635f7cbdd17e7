import ArgumentParser
import Foundation
import Shared

/// `leadctl digest`: per source, new leads, duplicates, spam, delivery outcomes and the top
/// errors; printed, or emailed to each source's notification address with `--send`.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Per-source activity: new leads, accepted/duplicate/spam, deliveries succeeded/dead/retrying, top 3 errors.",
        discussion:
            "--send emails it (one message per address: the source's notification_email, else the tenant's) through SMTP_URL "
            + "(smtp://user:password@host:port, smtps://… or smtp://…?tls=starttls) from SMTP_FROM."
    )
    @Option(help: "Since: 24h (default), 7d, 90m or an ISO 8601 date.") var since: SinceOption?
    @Option(help: "Tenant id or slug.") var tenant: String?
    @Flag(help: "Email the digest instead of printing it.") var send = false
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let since = since?.date ?? Date().addingTimeInterval(-86_400)
        let smtp: SMTPConfiguration?
        if send {
            guard let configuration = try SMTPConfiguration(environment: EnvironmentValues()) else {
                throw ValidationError("--send needs SMTP_URL (smtp://user:password@host:port, smtps://… or smtp://…?tls=starttls) and SMTP_FROM")
            }
            smtp = configuration
        } else {
            smtp = nil
        }
        let (report, outcome) = try await CommandEnvironment.run { [tenant] environment in
            let report = try await Digest(client: environment.postgres, logger: environment.logger)
                .build(since: since, tenantId: try await environment.tenantId(tenant))
            guard let smtp else { return (report, DigestMailer.Outcome?.none) }
            let mailer = DigestMailer(smtp: SMTPClient(configuration: smtp, logger: environment.logger))
            return (report, try await mailer.send(report))
        }
        guard let outcome else {
            try emit(report, json: options.json) { report.textLines() }
            return
        }
        try emit(outcome, json: options.json) {
            outcome.sent.sorted { $0.key < $1.key }.map { "sent to \($0.key): \($0.value.joined(separator: ", "))" }
                + (outcome.unaddressed.isEmpty ? [] : ["no notification address: \(outcome.unaddressed.joined(separator: ", "))"])
        }
    }
}
