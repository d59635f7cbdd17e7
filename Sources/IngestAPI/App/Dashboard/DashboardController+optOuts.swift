import Foundation
import Hummingbird
import Shared

extension DashboardController {
    /// One opt-out in the list.
    struct OptOutRow {
        var channel: String
        var address: String
        var optedOut: Bool
        var cause: String
        var keyword: String?
        var actor: String?
        var changedAt: String
    }

    /// The opt-outs page: a tenant's list (operators pick the tenant) and the add/remove form.
    struct OptOutsView {
        var chrome: DashboardChrome
        var tenantId: String
        var tenants: [Option]
        var pickTenant: Bool
        var channels: [Option]
        var includeOptedIn: Bool
        var rows: [OptOutRow]
    }

    func addOptOutRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("optouts") { request, context in try await optOuts(request, context) }
        group.post("optouts") { request, context in try await changeOptOut(request, context) }
    }

    /// The tenant the page is about: a member's own; for operators the `tenant` asked for, else the
    /// first by name (nil when there is none).
    private func optOutTenant(_ asked: String?, user: DashboardUser, names: [UUID: String]) -> UUID? {
        if let scope = user.tenantScope { return scope }
        if let asked = asked.flatMap(UUID.init(uuidString:)), names[asked] != nil { return asked }
        return names.sorted { $0.value < $1.value }.first?.key
    }

    private func optOuts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let query = { (name: String) in DashboardResponder.query(request, name) }
        let names = try await tenantNames(for: user)
        let tenantId = optOutTenant(query("tenant"), user: user, names: names)
        let channel = query("channel").flatMap(MessageChannel.init(rawValue:))
        let includeOptedIn = query("all") == "1"
        let optOuts: [OptOut]
        if let tenantId {
            optOuts = try await withDatabaseTimeLimit { [stores, logger] in
                try await OptOutStore(client: stores.postgres, logger: logger)
                    .list(tenantId: tenantId, channel: channel, includeOptedIn: includeOptedIn)
            }
        } else {
            optOuts = []
        }
        let view = OptOutsView(
            chrome: try responder.chrome(request, context),
            tenantId: tenantId.map(Self.slug) ?? "",
            tenants: names.sorted { $0.value < $1.value }.map { Option(value: Self.slug($0.key), label: $0.value, selected: $0.key == tenantId) },
            pickTenant: user.tenantScope == nil,
            channels: [Option(value: "", label: "Every channel", selected: channel == nil)]
                + MessageChannel.allCases.map { Option(value: $0.rawValue, label: $0.displayName, selected: $0 == channel) },
            includeOptedIn: includeOptedIn,
            rows: optOuts.map { optOut in
                OptOutRow(
                    channel: optOut.channel.displayName,
                    address: optOut.address,
                    optedOut: optOut.optedOut,
                    cause: optOut.cause,
                    keyword: optOut.keyword,
                    actor: optOut.actor,
                    changedAt: DashboardFormat.time(optOut.changedAt)
                )
            }
        )
        return responder.page("optouts", view)
    }

    /// Opts an address out (`action=add`) or back in (`action=remove`) for the page's tenant.
    private func changeOptOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireDashboardUser()
        let form = try context.requireDashboardForm()
        let names = try await tenantNames(for: user)
        guard let tenantId = optOutTenant(form.value("tenant"), user: user, names: names) else {
            return DashboardResponder.redirect("/dashboard/optouts", notice: "Choose a tenant first.", context: context)
        }
        let back = "/dashboard/optouts" + (user.tenantScope == nil ? "?tenant=\(Self.slug(tenantId))" : "")
        guard let channel = form.value("channel").flatMap(MessageChannel.init(rawValue:)) else {
            return DashboardResponder.redirect(back, notice: "Choose SMS, WhatsApp or email.", context: context)
        }
        let optedOut = form.value("action") != "remove"
        let address: String
        do {
            address = try OptOutStore.normalizedAddress(form.value("address") ?? "", channel: channel)
        } catch let error as StoreError {
            return DashboardResponder.redirect(back, notice: "Not changed: \(error.description)", context: context)
        }
        let changed = try await withDatabaseTimeLimit { [stores, logger] in
            try await OptOutStore(client: stores.postgres, logger: logger)
                .set(optedOut, tenantId: tenantId, channel: channel, address: address, cause: "operator", actor: user.email)
        }
        let what = optedOut ? "opted out of" : "opted back in to"
        return DashboardResponder.redirect(
            back,
            notice: changed ? "\(address) is \(what) \(channel.displayName)." : "\(address) was already \(what) \(channel.displayName).",
            context: context
        )
    }
}
