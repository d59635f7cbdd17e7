import Logging

/// Installs the process-wide log handler once, from `LOG_LEVEL` / `LOG_FORMAT`.
public enum LoggingBootstrap {
    /// Bootstraps swift-log; call once at the top of an executable (never from tests).
    public static func bootstrap(level: Logger.Level, format: AppConfiguration.LogFormat) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler
            switch format {
            case .json: handler = JSONLogHandler(label: label)
            case .text: handler = RedactingLogHandler(wrapping: StreamLogHandler.standardOutput(label: label))
            }
            handler.logLevel = level
            return handler
        }
    }
}
