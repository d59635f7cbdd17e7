/// Where and how a ``RedisClient`` connects.
///
/// Build one from a URL (`redis://[[user]:password@]host[:port][/db]`) with
/// ``init(url:)``, or field by field with ``init(host:port:username:password:database:)``.
/// ``description`` never shows the password.
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address of the server.
    public var host: String
    /// TCP port of the server; 6379 by default.
    public var port: Int
    /// ACL user name for `AUTH user password`; `nil` uses `AUTH password` (the default user).
    public var username: String?
    /// Password for `AUTH`; `nil` skips authentication.
    public var password: String?
    /// Logical database selected with `SELECT` on every new connection; 0 by default.
    public var database: Int
    /// Upper bound for establishing one TCP connection; 2 s by default.
    public var connectTimeout: Duration
    /// Upper bound for a command to be answered (per socket read/write) and for a
    /// command's reconnect attempts; 5 s by default.
    public var commandTimeout: Duration
    /// Number of pooled connections, and of threads in the client's thread pool that
    /// serve them; 4 by default.
    public var poolSize: Int
    /// Number of connections (each with its own thread) reserved for
    /// ``RedisClient/withDedicatedConnection(_:)``, used for blocking commands such as
    /// `XREADGROUP … BLOCK`; 2 by default. Callers beyond this limit wait for a free one.
    public var dedicatedConnectionLimit: Int
    /// How many times a command tries to (re)connect before failing; 5 by default.
    /// Attempts are spaced by an exponential backoff (``reconnectBackoffBase`` doubling
    /// up to ``reconnectBackoffMax``) and stop early at the command's deadline.
    public var reconnectAttempts: Int
    /// First backoff delay between reconnect attempts; 50 ms by default.
    public var reconnectBackoffBase: Duration
    /// Largest backoff delay between reconnect attempts; 2 s by default.
    public var reconnectBackoffMax: Duration

    /// A configuration for `host:port` with the defaults for everything else.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = .seconds(2)
        self.commandTimeout = .seconds(5)
        self.poolSize = 4
        self.dedicatedConnectionLimit = 2
        self.reconnectAttempts = 5
        self.reconnectBackoffBase = .milliseconds(50)
        self.reconnectBackoffMax = .seconds(2)
    }

    /// `host:port`, as used in error messages (IPv6 addresses are bracketed).
    public var endpoint: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// The configuration as a URL with the password masked, e.g. `redis://:***@cache:6379/2`.
    public var description: String {
        var userInfo = ""
        if self.username != nil || self.password != nil {
            userInfo = (self.username ?? "") + (self.password == nil ? "" : ":***") + "@"
        }
        return "redis://\(userInfo)\(self.endpoint)/\(self.database)"
    }
}
