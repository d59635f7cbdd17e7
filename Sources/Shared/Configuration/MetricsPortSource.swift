/// Which setting chose the port of the worker's metrics/health listener
/// (``AppConfiguration/metricsPort``), and so what the worker does when that port is taken.
public enum MetricsPortSource: Sendable, Equatable {
    /// `METRICS_PORT`: the operator's choice. When it is taken the worker exits with an error naming it.
    case metricsPortVariable
    /// `PORT`, with `METRICS_PORT` unset: the port Railway injects into every service and
    /// health-checks. When it is taken (a shell-wide `PORT` meant for the web process) the worker
    /// listens on a free port instead and logs it.
    case portVariable
    /// Neither set: ``defaultPort``, or a free port when that is taken (a second worker on the host).
    case defaultPort

    /// The port used when neither `METRICS_PORT` nor `PORT` is set.
    public static let defaultPortNumber = 9090

    /// The variable that set the port, for log lines and errors; nil for the default.
    public var variable: String? {
        switch self {
        case .metricsPortVariable: "METRICS_PORT"
        case .portVariable: "PORT"
        case .defaultPort: nil
        }
    }

    /// The port and its source: `METRICS_PORT` (0: any free port), else `PORT`, else 9090.
    static func resolve(_ environment: EnvironmentValues) throws(ConfigurationError) -> (port: Int, source: MetricsPortSource) {
        if environment.string("METRICS_PORT") != nil {
            return (try environment.integer("METRICS_PORT", default: defaultPortNumber, range: 0...65535), .metricsPortVariable)
        }
        if environment.string("PORT") != nil {
            return (try environment.integer("PORT", default: defaultPortNumber, range: 1...65535), .portVariable)
        }
        return (defaultPortNumber, .defaultPort)
    }
}
