import ArgumentParser
import Foundation
import Shared

/// `leadctl demo seed` — the demo tenant `scripts/run` starts with: an API source and a form
/// source fanning out to a GoHighLevel and a Momence destination, both dry-run. Idempotent: a
/// second run reuses what exists and the key saved in `--key-file`.
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
                var destinationIds = existing.map(\.id)
                if existing.isEmpty {
                    let ghl = Destination.withDefaults(
                        tenantId: tenant.id,
                        name: "GoHighLevel (dry run)",
                        kind: .ghl,
                        config: ["locationId": .string("demo-location")],
                        dryRun: true
                    )
                    let momence = Destination.withDefaults(
                        tenantId: tenant.id,
                        name: "Momence (dry run)",
                        kind: .momence,
                        config: ["hostId": .string("12345"), "sourceId": .number(7)],
                        dryRun: true
                    )
                    let box = environment.configuration.secretBox
                    destinationIds = [
                        try await environment.destinations.create(ghl, sealedSecret: try box.seal("demo-ghl-token")).id,
                        try await environment.destinations.create(momence, sealedSecret: try box.seal("demo-momence-token")).id,
                    ]
                }
                let sources = try await environment.sources.list(tenantId: tenant.id)
                if !sources.contains(where: { $0.kind == .api }) {
                    _ = try await environment.sources.create(tenantId: tenant.id, name: "API", kind: .api, destinationIds: destinationIds)
                }
                let form: Source
                if let existingForm = sources.first(where: { $0.kind == .form }) {
                    form = existingForm
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
                return [
                    "  Demo tenant: \(tenant.name) (slug demo), destinations in dry-run",
                    "  Demo API key: \(key)   (also in \(keyFile))",
                    "  Form source token: \(form.token)",
                ]
            }
            print(summary.joined(separator: "\n"))
        }
    }
}
