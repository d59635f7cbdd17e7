import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Shared

/// What the layout of every signed-in page shows: navigation, the user, the CSRF token for
/// its forms, and a one-line notice or problem.
struct DashboardChrome: Sendable {
    struct NavItem: Sendable {
        var href: String
        var label: String
        var current: Bool
    }

    var nav: [NavItem]
    var userEmail: String
    var roleLabel: String
    var csrf: String
    var notice: String?
    var problem: String?

    /// The sections, in menu order; operators also see tenants and users of every tenant.
    static func sections(for user: DashboardUser) -> [(path: String, label: String)] {
        var sections = [
            ("/dashboard", "Overview"), ("/dashboard/leads", "Leads"), ("/dashboard/deliveries", "Deliveries"),
            ("/dashboard/imports", "Imports"), ("/dashboard/events", "Webhook events"), ("/dashboard/sources", "Sources"),
            ("/dashboard/destinations", "Destinations"), ("/dashboard/sequences", "Sequences"),
            ("/dashboard/optouts", "Opt-outs"), ("/dashboard/api-keys", "API keys"),
        ]
        if user.role == .operator { sections.append(("/dashboard/tenants", "Tenants")) }
        sections.append(("/dashboard/users", "Users"))
        sections.append(("/dashboard/audit", "Audit log"))
        return sections
    }

    init(user: DashboardUser, csrf: String, path: String, notice: String? = nil, problem: String? = nil) {
        nav = Self.sections(for: user).map { section in
            let current = section.path == "/dashboard" ? path == "/dashboard" : path.hasPrefix(section.path)
            return NavItem(href: section.path, label: section.label, current: current)
        }
        userEmail = user.email
        roleLabel = user.role == .operator ? "Operator (all tenants)" : "Tenant member"
        self.csrf = csrf
        self.notice = notice
        self.problem = problem
    }
}
