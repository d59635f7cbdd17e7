import Foundation
import Logging
import PhoneNumbers
import PostgresNIO

/// Tenants in PostgreSQL.
public struct TenantStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = "id, slug, name, default_region, timezone, notification_email, enabled, created_at"

    private func decode(_ rows: PostgresRowSequence) async throws -> [Tenant] {
        var tenants: [Tenant] = []
        for try await (id, slug, name, region, timezone, email, enabled, createdAt) in rows.decode(
            (UUID, String, String, String, String, String?, Bool, Date).self
        ) {
            tenants.append(
                Tenant(
                    id: id,
                    slug: slug,
                    name: name,
                    defaultRegion: region,
                    timezone: timezone,
                    notificationEmail: email,
                    enabled: enabled,
                    createdAt: createdAt
                )
            )
        }
        return tenants
    }

    /// Creates a tenant; `slug` defaults to one derived from `name`.
    public func create(
        name: String,
        slug: String? = nil,
        defaultRegion: String = "US",
        timezone: String = "UTC",
        notificationEmail: String? = nil
    ) async throws -> Tenant {
        let region = defaultRegion.uppercased()
        guard PhoneNumberNormalizer.isKnownRegion(region) else {
            throw StoreError.invalid(field: "region", message: "'\(defaultRegion)' is not a known ISO 3166 region code")
        }
        guard TimeZone(identifier: timezone) != nil else {
            throw StoreError.invalid(field: "timezone", message: "'\(timezone)' is not a known time zone (e.g. America/Chicago)")
        }
        let slug = slug ?? Self.slug(from: name)
        return try await client.translatingErrors(entity: "tenant") {
            let rows = try await client.query(
                """
                INSERT INTO tenants (name, slug, default_region, timezone, notification_email)
                VALUES (\(name), \(slug), \(region), \(timezone), \(notificationEmail))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let tenant = try await decode(rows).first else { throw StoreError.conflict("tenant was not created") }
            return tenant
        }
    }

    /// Every tenant, by name.
    public func list() async throws -> [Tenant] {
        try await decode(client.query("SELECT \(unescaped: Self.columns) FROM tenants ORDER BY name", logger: logger))
    }

    /// The tenant with this id or slug.
    public func find(_ reference: String) async throws -> Tenant {
        let rows: PostgresRowSequence
        if let id = UUID(uuidString: reference) {
            rows = try await client.query("SELECT \(unescaped: Self.columns) FROM tenants WHERE id = \(id)", logger: logger)
        } else {
            rows = try await client.query("SELECT \(unescaped: Self.columns) FROM tenants WHERE slug = \(reference.lowercased())", logger: logger)
        }
        guard let tenant = try await decode(rows).first else { throw StoreError.notFound(kind: "tenant", reference: reference) }
        return tenant
    }

    /// Changes the given fields of a tenant.
    public func update(_ tenant: Tenant) async throws -> Tenant {
        guard PhoneNumberNormalizer.isKnownRegion(tenant.defaultRegion) else {
            throw StoreError.invalid(field: "region", message: "'\(tenant.defaultRegion)' is not a known ISO 3166 region code")
        }
        return try await client.translatingErrors(entity: "tenant") {
            let rows = try await client.query(
                """
                UPDATE tenants SET name = \(tenant.name), default_region = \(tenant.defaultRegion), timezone = \(tenant.timezone),
                    notification_email = \(tenant.notificationEmail), enabled = \(tenant.enabled), updated_at = now()
                WHERE id = \(tenant.id) RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let updated = try await decode(rows).first else {
                throw StoreError.notFound(kind: "tenant", reference: tenant.id.uuidString)
            }
            return updated
        }
    }

    /// A URL-safe handle from a display name: `Acme Roofing, LLC` → `acme-roofing-llc`.
    public static func slug(from name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().folding(options: .diacriticInsensitive, locale: nil).unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.last == "-" { slug.removeLast() }
        return slug.isEmpty ? "tenant" : String(slug.prefix(63))
    }
}
