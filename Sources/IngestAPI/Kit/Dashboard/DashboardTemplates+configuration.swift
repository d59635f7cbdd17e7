extension DashboardTemplates {
    /// The configuration pages' templates (sources, destinations, API keys, tenants, users).
    static let configurationPages: [(name: String, template: String)] = [
        ("config_sources", configSources), ("config_source_form", configSourceForm),
        ("config_destinations", configDestinations), ("config_destination_form", configDestinationForm), ("config_test_lead", configTestLead),
        ("config_api_keys", configAPIKeys), ("config_api_key_created", configAPIKeyCreated),
        ("config_tenants", configTenants), ("config_tenant_form", configTenantForm),
        ("config_users", configUsers), ("config_user_form", configUserForm),
    ]
}
