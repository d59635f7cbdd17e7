import Shared
import TestSupport
import Testing

/// swift-service-lifecycle logs every service's description at debug level; services hold the
/// configuration, whose default description printed every field, passwords included.
@Suite("Configuration descriptions hold no secret")
struct AppConfigurationDescriptionTests {
    struct ServiceHoldingConfiguration {
        var configuration: AppConfiguration
    }

    @Test func noSecretIsPrinted() throws {
        let secrets = ["db-pass-4f9a", "redis-pass-77c1", "metrics-token-0b2e", "admin-pass-9d8c7b6a"]
        let configuration = try AppConfiguration(
            environment: EnvironmentValues([
                "DATABASE_URL": "postgres://lr:\(secrets[0])@db.internal:5432/leadrelay",
                "REDIS_URL": "redis://:\(secrets[1])@redis.internal:6379/0",
                "METRICS_TOKEN": secrets[2],
                "ADMIN_EMAIL": "ops@example.com", "ADMIN_PASSWORD": secrets[3],
                "LEADRELAY_SECRET_KEY": TestEnvironment.secretKey,
            ])
        )
        let service = ServiceHoldingConfiguration(configuration: configuration)
        for text in [
            String(describing: configuration), String(reflecting: configuration), String(describing: service),
            String(reflecting: service), "\(service)",
        ] {
            for secret in secrets + [TestEnvironment.secretKey] { #expect(!text.contains(secret), "\(text)") }
            #expect(text.contains("db.internal:5432/leadrelay"))
        }
    }
}
