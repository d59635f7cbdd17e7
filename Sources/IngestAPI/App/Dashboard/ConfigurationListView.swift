/// What a configuration list page (`config_destinations`, `config_sources`, `config_users`) shows:
/// one row a record, with their tenants' column for operators only.
struct ConfigurationListView<Row> {
    /// The layout around the list.
    var chrome: DashboardChrome
    /// One row a record, in the list's order.
    var rows: [Row]
    /// Whether the rows' tenant column shows (operators see every tenant's records).
    var showTenant: Bool
}
