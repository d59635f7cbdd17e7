import Mustache

/// The dashboard's templates, compiled once at start from `Resources/templates/dashboard/<name>.mustache`
/// (embedded in the binary, ``EmbeddedText``). Every `{{value}}` is HTML-escaped by Mustache; the only
/// unescaped insertions (`{{{…}}}`) are markup built in Swift with ``HTMLText`` escaping (the chart).
struct DashboardTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates by name: `dash_layout` is the frame of every signed-in page, `login` stands alone.
    static let pages: [(name: String, file: [UInt8])] = [
        ("dash_layout", PackageResources.dash_layout_mustache), ("login", PackageResources.login_mustache),
        ("overview", PackageResources.overview_mustache), ("leads", PackageResources.leads_mustache),
        ("lead", PackageResources.lead_mustache), ("deliveries", PackageResources.deliveries_mustache),
        ("retry_confirm", PackageResources.retry_confirm_mustache), ("audit", PackageResources.audit_mustache),
        ("message", PackageResources.message_mustache), ("imports", PackageResources.imports_mustache),
        ("events", PackageResources.events_mustache), ("optouts", PackageResources.optouts_mustache),
        ("config_sources", PackageResources.config_sources_mustache),
        ("config_source_form", PackageResources.config_source_form_mustache),
        ("config_destinations", PackageResources.config_destinations_mustache),
        ("config_destination_form", PackageResources.config_destination_form_mustache),
        ("config_test_lead", PackageResources.config_test_lead_mustache),
        ("config_api_keys", PackageResources.config_api_keys_mustache),
        ("config_api_key_created", PackageResources.config_api_key_created_mustache),
        ("config_tenants", PackageResources.config_tenants_mustache),
        ("config_tenant_form", PackageResources.config_tenant_form_mustache),
        ("config_users", PackageResources.config_users_mustache),
        ("config_user_form", PackageResources.config_user_form_mustache),
        ("sequences", PackageResources.sequences_mustache), ("sequence", PackageResources.sequence_mustache),
        ("sequence_form", PackageResources.sequence_form_mustache), ("lead_sequences", PackageResources.lead_sequences_mustache),
    ]

    /// The dashboard's stylesheet, served at `/assets/dashboard.css` (no CDN, no build step).
    static let stylesheet = EmbeddedText.string(PackageResources.dashboard_css)
    /// The dashboard's script (progressive enhancement only), served at `/assets/dashboard.js`.
    static let script = EmbeddedText.string(PackageResources.dashboard_js)
    /// The sequence form's step list script (add and remove step rows), served at `/assets/dashboard.sequence-form.js`.
    static let sequenceFormScript = EmbeddedText.string(PackageResources.dashboard_sequence_form_js)

    /// Compiles every template; a syntax error is a programming error.
    init() {
        library = .compiling(Self.pages)
    }

    /// `object` rendered with the template `name`.
    func render(_ object: Any, template name: String) -> String {
        library.render(object, withTemplate: name) ?? ""
    }
}
