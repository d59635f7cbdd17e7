import ArgumentParser
import Foundation
import Shared

/// `leadctl demo seed` — the demo tenant `scripts/run` starts with: an API source and a form
/// source fanning out to GoHighLevel, Momence, WhatsApp, Twilio SMS and SendGrid destinations, and
/// the seed's follow-up sequence fed by a `monday-board` source (``seedSequence(tenant:environment:)``), all dry-run.
/// Idempotent: a second run reuses what exists (adding demo destinations an older seed lacked)
/// and the key saved in `--key-file`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Demo data.", subcommands: [Seed.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (or reuse) the demo tenant with dry-run destinations.")
        @Option(help: "File holding the demo API key (written on first run).") var keyFile: String

        func run() async throws {
            let keyFile = self.keyFile
            let summary = try await CommandEnvironment.run { environment in
                let tenant: Tenant
                do {
                    tenant = try await environment.tenants.find("demo")
                } catch StoreError.notFound {
                    tenant = try await environment.tenants.create(name: "Demo Fitness Studio", slug: "demo", timezone: "America/Chicago")
                }
                let existing = try await environment.destinations.list(tenantId: tenant.id)
                let box = environment.configuration.secretBox
                var destinationIds: [UUID] = []
                for (demo, secret) in DemoCommand.destinations(tenantId: tenant.id) {
                    if let found = existing.first(where: { $0.name == demo.name }) {
                        destinationIds.append(found.id)
                    } else {
                        destinationIds.append(try await environment.destinations.create(demo, sealedSecret: try box.seal(secret)).id)
                    }
                }
                let sources = try await environment.sources.list(tenantId: tenant.id)
                if let api = sources.first(where: { $0.kind == .api }) {
                    try await environment.sources.setDestinations(sourceId: api.id, tenantId: tenant.id, destinationIds: destinationIds)
                } else {
                    _ = try await environment.sources.create(tenantId: tenant.id, name: "API", kind: .api, destinationIds: destinationIds)
                }
                let form: Source
                if let existingForm = sources.first(where: { $0.kind == .form }) {
                    form = existingForm
                    try await environment.sources.setDestinations(sourceId: form.id, tenantId: tenant.id, destinationIds: destinationIds)
                } else {
                    form = try await environment.sources.create(
                        tenantId: tenant.id,
                        name: "Website form",
                        kind: .form,
                        destinationIds: destinationIds
                    )
                }
                var key = (try? String(contentsOfFile: keyFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                let stillValid = key.isEmpty ? false : try await environment.apiKeys.authenticate(key) != nil
                if !stillValid {
                    key = try await environment.apiKeys.create(tenantId: tenant.id, name: "demo").key
                    try key.write(toFile: keyFile, atomically: true, encoding: .utf8)
                }
                let sequenceLines = try await DemoCommand.seedSequence(tenant: tenant, environment: environment)
                return [
                    "  Demo tenant: \(tenant.name) (slug demo), destinations in dry-run",
                    "  Demo API key: \(key)   (also in \(keyFile))",
                    "  Form source token: \(form.token)",
                ] + sequenceLines
            }
            print(summary.joined(separator: "\n"))
        }
    }

    /// The demo destinations with their (fake) secrets, all dry-run.
    static func destinations(tenantId: UUID) -> [(Destination, String)] {
        func demo(_ name: String, _ kind: DestinationKind, _ config: [String: JSONValue]) -> Destination {
            Destination.withDefaults(tenantId: tenantId, name: name, kind: kind, config: config, dryRun: true)
        }
        return [
            (demo("GoHighLevel (dry run)", .ghl, ["locationId": .string("demo-location")]), "demo-ghl-token"),
            (demo("Momence (dry run)", .momence, ["hostId": .string("12345"), "sourceId": .number(7)]), "demo-momence-token"),
            (
                demo(
                    "WhatsApp (dry run)",
                    .whatsApp,
                    [
                        "phone_number_id": .string("106540352242922"), "template": .string("lead_welcome"), "language": .string("en_US"),
                        "parameters": .array([.string("{{first_name}}{{^first_name}}there{{/first_name}}")]),
                    ]
                ),
                "demo-whatsapp-token"
            ),
            (
                demo(
                    "Twilio SMS (dry run)",
                    .twilioSMS,
                    [
                        "account_sid": .string("AC00000000000000000000000000000000"), "from": .string("+15005550006"),
                        "body": .string("Hi {{first_name}}, thanks for contacting {{tenant_name}}! Reply STOP to opt out."),
                    ]
                ),
                "demo-twilio-token"
            ),
            (
                demo(
                    "SendGrid email (dry run)",
                    .sendGrid,
                    [
                        "from": .string("leads@demo.example"), "from_name": .string("LeadRelay demo"),
                        "subject": .string("{{first_name}}{{^first_name}}Hello{{/first_name}}, thanks for contacting {{tenant_name}}"),
                        "text": .string("Hi {{first_name}}{{^first_name}}there{{/first_name}},\n\nWe got your request and will be in touch today."),
                    ]
                ),
                "demo-sendgrid-key"
            ),
        ]
    }
}
