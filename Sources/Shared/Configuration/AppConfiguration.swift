import Foundation
import Logging
import Redis

/// Everything a LeadRelay process reads from its environment, validated once at startup.
public struct AppConfiguration: Sendable {
    /// Log line format (`LOG_FORMAT`).
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// PostgreSQL (`DATABASE_URL`, `DATABASE_MAX_CONNECTIONS`).
    public var database: DatabaseConfiguration
    /// Redis (`REDIS_URL`).
    public var redis: RedisConfiguration
    /// Prefix of every Redis key this deployment uses (`REDIS_KEY_PREFIX`, default `leadrelay`).
    public var redisKeyPrefix: String
    /// HTTP bind address (`HOST`, default 0.0.0.0) and port (`PORT`, default 8080).
    public var host: String
    public var port: Int
    /// Deliveries one worker process works on at once (`WORKER_COUNT`, default 128).
    public var workerCount: Int
    /// Group-commit batches the web process writes at once (`INTAKE_COMMIT_LANES`, default 1);
    /// 0 writes every request in its own call.
    public var intakeCommitLanes: Int
    /// How long a lone group-commit write may wait for a second one while writes arrive at least
    /// this often (`INTAKE_COMMIT_LINGER_MS`, default 2; 0: never wait; see docs/configuration.md for the trade-off).
    public var intakeCommitLinger: Duration
    /// Port of the worker's metrics/health listener: `METRICS_PORT` (0: any free port), else `PORT`
    /// (Railway health-checks it), else 9090; a taken port that `METRICS_PORT` did not name is replaced by a free one.
    public var metricsPort: Int
    /// Which setting chose ``metricsPort``.
    public var metricsPortSource: MetricsPortSource
    /// When set, `GET /metrics` requires `Authorization: Bearer <token>` (`METRICS_TOKEN`).
    public var metricsToken: String?
    /// Whether this looks like a production deployment: `LOG_FORMAT=json` or a Railway environment
    /// (`RAILWAY_ENVIRONMENT`, `RAILWAY_ENVIRONMENT_NAME` or `RAILWAY_PROJECT_ID` set).
    public var isProduction: Bool
    /// Peers whose `X-Forwarded-*` headers are believed (`TRUSTED_PROXIES`, CIDRs; default: none).
    public var trustedProxies: TrustedProxies
    /// `LOG_LEVEL` (default info) and `LOG_FORMAT` (default text).
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Keys that seal destination credentials at rest (`LEADRELAY_SECRET_KEY`, plus
    /// `LEADRELAY_SECRET_KEY_PREVIOUS` while rotating).
    public var secretBox: SecretBox
    /// Apply pending migrations when a process boots (`MIGRATE_ON_BOOT`, default true).
    public var migrateOnBoot: Bool
    /// Folder of `NNNN_name.sql` files (`MIGRATIONS_DIR`, default `./migrations`).
    public var migrationsDirectory: String
    /// The first operator, created at start when no user has this email (`ADMIN_EMAIL` and
    /// `ADMIN_PASSWORD`, both or neither).
    public var initialAdmin: (email: String, password: String)?
    /// `SESSION_COOKIE_SECURE`: `auto` (default) marks the dashboard's cookies `Secure` when the
    /// request came over HTTPS (`X-Forwarded-Proto: https` from the proxy); `true`/`false` force it.
    public var sessionCookieSecure: Bool?
    /// bcrypt cost for dashboard passwords (`PASSWORD_HASH_COST`, 4–16, default 12).
    public var passwordHashCost: Int
    /// Seconds a connection may sit idle between requests or inside a half-sent head before the
    /// web process closes it (`HTTP_IDLE_TIMEOUT`, default 60).
    public var httpIdleTimeoutSeconds: Int
    /// Seconds a client may stop sending in the middle of a request body before its connection is
    /// closed (`REQUEST_BODY_TIMEOUT`, default 30).
    public var requestBodyTimeoutSeconds: Int
    /// What outbound calls made for tenants may reach: public addresses only, unless
    /// `LEADRELAY_ALLOW_PRIVATE_NETWORKS=true` (local runs, tests, benchmarks; never production).
    public var outboundPolicy: OutboundAddressPolicy
    /// The address the outside world reaches this web process at (`PUBLIC_BASE_URL`, e.g.
    /// `https://relay.example.com`, no trailing slash): a `twilio` source without its own
    /// `public_url` config is `<this>/hooks/<token>`, the URL its signatures are checked against.
    public var publicBaseURL: String?

    /// Reads and validates the configuration; the first problem throws a ``ConfigurationError``.
    public init(environment: EnvironmentValues = EnvironmentValues()) throws(ConfigurationError) {
        let databaseURL = try environment.required("DATABASE_URL", expected: "postgres://user:password@host:5432/database")
        var database = try DatabaseConfiguration(url: databaseURL)
        database.maximumConnections = try environment.integer("DATABASE_MAX_CONNECTIONS", default: 20, range: 2...500)
        database.minimumConnections = try environment.integer(
            "DATABASE_MIN_CONNECTIONS",
            default: min(4, database.maximumConnections - 1),
            range: 0...(database.maximumConnections - 1)
        )
        self.database = database

        let redisURL = try environment.required("REDIS_URL", expected: "redis://[:password@]host:6379[/db]")
        do {
            self.redis = try RedisConfiguration(url: redisURL)
        } catch {
            throw ConfigurationError(variable: "REDIS_URL", expected: "must look like redis://[:password@]host:6379[/db] (\(error))")
        }
        let prefix = environment.string("REDIS_KEY_PREFIX") ?? "leadrelay"
        guard prefix.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }), prefix.count <= 64 else {
            throw ConfigurationError(variable: "REDIS_KEY_PREFIX", expected: "must be letters, digits, - _ : . (at most 64)")
        }
        self.redisKeyPrefix = prefix
        self.host = environment.string("HOST") ?? "0.0.0.0"
        self.port = try environment.integer("PORT", default: 8080, range: 1...65535)
        self.workerCount = try environment.integer("WORKER_COUNT", default: 128, range: 1...1024)
        self.intakeCommitLanes = try environment.integer("INTAKE_COMMIT_LANES", default: 1, range: 0...64)
        self.intakeCommitLinger = .milliseconds(try environment.integer("INTAKE_COMMIT_LINGER_MS", default: 2, range: 0...100))
        let metricsPort = try MetricsPortSource.resolve(environment)
        self.metricsPort = metricsPort.port
        self.metricsPortSource = metricsPort.source
        self.metricsToken = environment.string("METRICS_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        let level = environment.string("LOG_LEVEL")?.lowercased() ?? "info"
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ConfigurationError(variable: "LOG_LEVEL", expected: "must be one of: trace, debug, info, notice, warning, error, critical")
        }
        self.logLevel = logLevel
        self.logFormat = try environment.choice("LOG_FORMAT", default: .text)
        self.isProduction =
            logFormat == .json
            || ["RAILWAY_ENVIRONMENT", "RAILWAY_ENVIRONMENT_NAME", "RAILWAY_PROJECT_ID"].contains { environment.string($0) != nil }
        self.trustedProxies = try TrustedProxies(parsing: environment.string("TRUSTED_PROXIES") ?? "")
        let key = try environment.required("LEADRELAY_SECRET_KEY", expected: SecretBox.keyFormatDescription)
        self.secretBox = try SecretBox(
            currentKey: key,
            variable: "LEADRELAY_SECRET_KEY",
            previousKey: environment.string("LEADRELAY_SECRET_KEY_PREVIOUS"),
            previousVariable: "LEADRELAY_SECRET_KEY_PREVIOUS"
        )
        self.migrateOnBoot = try environment.boolean("MIGRATE_ON_BOOT", default: true)
        self.migrationsDirectory = environment.string("MIGRATIONS_DIR") ?? "migrations"
        switch (
            environment.string("ADMIN_EMAIL").flatMap { $0.isEmpty ? nil : $0 },
            environment.string("ADMIN_PASSWORD").flatMap { $0.isEmpty ? nil : $0 }
        ) {
        case (let email?, let password?):
            if let problem = PasswordHasher.problem(with: password) {
                throw ConfigurationError(variable: "ADMIN_PASSWORD", expected: problem)
            }
            self.initialAdmin = (email, password)
        case (nil, nil): self.initialAdmin = nil
        case (nil, _?): throw ConfigurationError(variable: "ADMIN_EMAIL", expected: "must be set together with ADMIN_PASSWORD")
        case (_?, nil): throw ConfigurationError(variable: "ADMIN_PASSWORD", expected: "must be set together with ADMIN_EMAIL")
        }
        switch environment.string("SESSION_COOKIE_SECURE")?.lowercased() ?? "auto" {
        case "auto", "": self.sessionCookieSecure = nil
        case "true", "1", "yes": self.sessionCookieSecure = true
        case "false", "0", "no": self.sessionCookieSecure = false
        default: throw ConfigurationError(variable: "SESSION_COOKIE_SECURE", expected: "must be auto, true or false")
        }
        self.passwordHashCost = try environment.integer("PASSWORD_HASH_COST", default: 12, range: 4...16)
        self.httpIdleTimeoutSeconds = try environment.integer("HTTP_IDLE_TIMEOUT", default: 60, range: 1...3_600)
        self.requestBodyTimeoutSeconds = try environment.integer("REQUEST_BODY_TIMEOUT", default: 30, range: 1...3_600)
        self.outboundPolicy = OutboundAddressPolicy(
            allowPrivateNetworks: try environment.boolean("LEADRELAY_ALLOW_PRIVATE_NETWORKS", default: false)
        )
        self.publicBaseURL = try Self.publicBaseURL(environment.string("PUBLIC_BASE_URL"))
    }
}
