import PostgresNIO
import Redis
import Shared
import Testing

@Suite("Configuration from the environment")
struct AppConfigurationTests {
    static let valid: [String: String] = [
        "DATABASE_URL": "postgres://lead:s3cret@db.internal:6543/leadrelay?sslmode=require",
        "REDIS_URL": "redis://:hunter2@cache.internal:6380/2",
        "LEADRELAY_SECRET_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ]

    @Test func parsesAValidEnvironmentWithDefaults() throws {
        let configuration = try AppConfiguration(environment: EnvironmentValues(Self.valid))
        #expect(configuration.database.host == "db.internal")
        #expect(configuration.database.port == 6543)
        #expect(configuration.database.username == "lead")
        #expect(configuration.database.password == "s3cret")
        #expect(configuration.database.database == "leadrelay")
        #expect(configuration.database.tlsMode == .require)
        #expect(configuration.redis.host == "cache.internal")
        #expect(configuration.redis.port == 6380)
        #expect(configuration.redis.password == "hunter2")
        #expect(configuration.redis.database == 2)
        #expect(configuration.port == 8080)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.workerCount == 128)
        #expect(configuration.logFormat == .text)
        #expect(configuration.redisKeyPrefix == "leadrelay")
        #expect(configuration.migrateOnBoot)
        #expect(configuration.database.maximumConnections == 20)
        #expect(configuration.database.minimumConnections == 4)
        let pool = configuration.database.makeClientConfiguration().options
        #expect(pool.minimumConnections == 4)
        #expect(pool.keepAliveBehavior == nil, "no pool keep-alive: see makeClientConfiguration")
    }

    /// The standing connections stay below the maximum, also when only the maximum is lowered.
    @Test(arguments: [("2", nil as String?, 1), ("20", "0", 0), ("20", "19", 19), ("3", nil, 2)])
    func minimumConnectionsStayBelowTheMaximum(maximum: String, minimum: String?, expected: Int) throws {
        var environment = Self.valid
        environment["DATABASE_MAX_CONNECTIONS"] = maximum
        environment["DATABASE_MIN_CONNECTIONS"] = minimum
        let configuration = try AppConfiguration(environment: EnvironmentValues(environment))
        #expect(configuration.database.minimumConnections == expected)
    }

    @Test(arguments: [
        ("DATABASE_URL", nil as String?, "DATABASE_URL is not set"),
        ("DATABASE_URL", "mysql://u:p@h/db", "DATABASE_URL must look like postgres://"),
        ("DATABASE_URL", "postgres://u:p@h:5432/", "DATABASE_URL names no database"),
        ("DATABASE_URL", "postgres://u:p@h/db?sslmode=sometimes", "DATABASE_URL has an unknown sslmode"),
        ("REDIS_URL", nil, "REDIS_URL is not set"),
        ("REDIS_URL", "http://h:1", "REDIS_URL must look like redis://"),
        ("LEADRELAY_SECRET_KEY", nil, "LEADRELAY_SECRET_KEY is not set"),
        ("LEADRELAY_SECRET_KEY", "dG9vIHNob3J0", "LEADRELAY_SECRET_KEY must be 32 random bytes"),
        ("PORT", "http", "PORT must be an integer from 1 to 65535"),
        ("WORKER_COUNT", "0", "WORKER_COUNT must be an integer from 1 to 1024"),
        ("DATABASE_MIN_CONNECTIONS", "20", "DATABASE_MIN_CONNECTIONS must be an integer from 0 to 19"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of: text, json"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
        ("MIGRATE_ON_BOOT", "perhaps", "MIGRATE_ON_BOOT must be true or false"),
        ("REDIS_KEY_PREFIX", "has space", "REDIS_KEY_PREFIX must be letters"),
    ])
    func reportsOneClearLineNamingTheVariable(variable: String, value: String?, expected: String) {
        var environment = Self.valid
        environment[variable] = value
        #expect {
            _ = try AppConfiguration(environment: EnvironmentValues(environment))
        } throws: { error in
            let text = String(describing: error)
            return text.contains(expected) && !text.contains("\n") && !text.contains("s3cret") && !text.contains("hunter2")
                && (value.map { $0.count < 4 || !text.contains($0) } ?? true)
        }
    }

    @Test func neverEchoesTheDatabasePassword() {
        var environment = Self.valid
        environment["DATABASE_URL"] = "postgres://user:TopSecretPassword@/nodb"
        #expect {
            _ = try AppConfiguration(environment: EnvironmentValues(environment))
        } throws: { error in
            !String(describing: error).contains("TopSecretPassword")
        }
    }
}
