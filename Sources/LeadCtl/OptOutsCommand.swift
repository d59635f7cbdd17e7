import ArgumentParser
import Foundation
import Shared

extension MessageChannel: ExpressibleByArgument {}

/// `leadctl optouts list|add|remove`: who may not be messaged, per tenant, channel and address.
struct OptOutsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optouts",
        abstract: "List, add or remove opt-outs (checked before every SMS, WhatsApp and email message).",
        subcommands: [List.self, Add.self, Remove.self]
    )

    static func lines(_ optOut: OptOut) -> [String] {
        let state = optOut.optedOut ? "opted out" : "opted in again"
        let keyword = optOut.keyword.map { " (\($0))" } ?? ""
        let when = ISO8601DateFormatter().string(from: optOut.changedAt)
        return ["\(optOut.channel.rawValue)  \(optOut.address)  \(state)  \(optOut.cause)\(keyword)  by \(optOut.actor ?? "?")  \(when)"]
    }

    static var actor: String { "leadctl:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")" }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A tenant's opt-outs, newest first.")
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option(help: "sms, whatsapp or email (default: all).") var channel: MessageChannel?
        @Flag(help: "Also addresses that opted back in.") var all = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let optOuts = try await CommandEnvironment.run { [tenant, channel, all] environment in
                guard let tenantId = try await environment.tenantId(tenant) else { throw ValidationError("--tenant is required") }
                return try await OptOutStore(client: environment.postgres, logger: environment.logger)
                    .list(tenantId: tenantId, channel: channel, includeOptedIn: all)
            }
            try emit(optOuts, json: options.json) { optOuts.isEmpty ? ["no opt-outs"] : optOuts.flatMap(OptOutsCommand.lines) }
        }
    }

    /// Whose standing `add` and `remove` change.
    struct Target: ParsableArguments {
        @Option(help: "Tenant id or slug.") var tenant: String
        @Option(help: "sms, whatsapp or email.") var channel: MessageChannel
        @Argument(help: "E.164 phone (+972501234567) or email.") var address: String
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opt an address out: its messages on the channel are skipped.")
        @OptionGroup var target: Target
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await OptOutsCommand.change(true, target, json: options.json)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Opt an address back in (only with the person's consent).")
        @OptionGroup var target: Target
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await OptOutsCommand.change(false, target, json: options.json)
        }
    }

    struct Changed: Encodable {
        var channel: MessageChannel
        var address: String
        var optedOut: Bool
        var changed: Bool

        enum CodingKeys: String, CodingKey {
            case channel, address, changed
            case optedOut = "opted_out"
        }
    }

    static func change(_ optedOut: Bool, _ target: Target, json: Bool) async throws {
        let (tenant, channel, address) = (target.tenant, target.channel, target.address)
        let result = try await CommandEnvironment.run { environment in
            guard let tenantId = try await environment.tenantId(tenant) else { throw ValidationError("--tenant is required") }
            let normalized = try OptOutStore.normalizedAddress(address, channel: channel)
            let changed = try await OptOutStore(client: environment.postgres, logger: environment.logger)
                .set(optedOut, tenantId: tenantId, channel: channel, address: normalized, cause: "operator", actor: actor)
            return Changed(channel: channel, address: normalized, optedOut: optedOut, changed: changed)
        }
        try emit(result, json: json) {
            let state = optedOut ? "opted out of" : "opted back in to"
            return ["\(result.address) \(state) \(channel.rawValue)\(result.changed ? "" : " (no change)")"]
        }
    }
}
