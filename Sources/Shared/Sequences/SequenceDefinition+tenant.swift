import Foundation

extension SequenceDefinition {
    /// Checks the definition a user wrote for `tenant`: the tenant's zone when it names none,
    /// Florida/Oklahoma sales rules on by default for US tenants, steps naming its `destinations`.
    ///
    /// - Throws: ``SequenceDefinitionError`` naming the member and what is wrong.
    public init(json: JSONValue, tenant: Tenant, destinations: [Destination]) throws(SequenceDefinitionError) {
        try self.init(
            json: json,
            tenantTimeZone: TimeZone(identifier: tenant.timezone) ?? .gmt,
            defaultSalesRules: tenant.defaultRegion == "US",
            destinations: destinations
        )
    }
}
