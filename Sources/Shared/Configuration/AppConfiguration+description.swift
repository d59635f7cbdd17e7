import Redis

extension AppConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the process connects and how it runs, without a secret: swift-service-lifecycle logs
    /// each service's description at debug level, and services hold the configuration, so the
    /// database and Redis passwords, `METRICS_TOKEN`, the first operator's password and the sealing
    /// keys must never be part of it.
    public var description: String {
        "AppConfiguration(database: \(database.host):\(database.port)/\(database.database), redis: \(redis.host):\(redis.port), "
            + "port: \(port), workers: \(workerCount), metrics port: \(metricsPort), log: \(logLevel)/\(logFormat.rawValue), "
            + "private networks allowed: \(outboundPolicy.allowPrivateNetworks), secrets: [redacted])"
    }

    public var debugDescription: String { description }
}
