/// A Redis URL that could not be parsed. The message never contains the password.
public struct RedisConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the URL, e.g. `invalid Redis URL: port "abc" is not a number`.
    public var message: String

    /// An error with the given message.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String {
        self.message
    }
}

extension RedisConfiguration {
    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    ///
    /// User name and password may be percent-encoded. `rediss://` (TLS) is rejected
    /// with "TLS not supported". Errors describe the problem without echoing the
    /// URL's user info, so a password never ends up in a log.
    ///
    /// - Throws: ``RedisConfigurationError`` for a malformed URL.
    public init(url: String) throws {
        func invalid(_ reason: String) -> RedisConfigurationError {
            RedisConfigurationError(message: "invalid Redis URL: \(reason)")
        }

        guard let schemeEnd = url.firstRange(of: "://") else {
            throw invalid("expected redis://[[user]:password@]host[:port][/db]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "redis":
            break
        case "rediss":
            throw RedisConfigurationError(message: "invalid Redis URL: TLS not supported (rediss://); use redis://")
        default:
            throw invalid("unsupported scheme \"\(scheme.prefix(16))\"; expected redis://")
        }
        var rest = url[schemeEnd.upperBound...]

        // The password may contain '/', '?', '#' or '@' when not percent-encoded, so the
        // user info ends at the LAST '@'; nothing after it is secret.
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            let pass: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                pass = userInfo[userInfo.index(after: colon)...]
            } else {
                // `redis://secret@host` is commonly meant as a password-only URL.
                user = ""
                pass = userInfo
            }
            if !user.isEmpty {
                guard let decoded = String(user).removingRedisPercentEncoding() else {
                    throw invalid("user name has invalid percent-encoding")
                }
                username = decoded
            }
            if let pass, !pass.isEmpty {
                guard let decoded = String(pass).removingRedisPercentEncoding() else {
                    throw invalid("password has invalid percent-encoding")
                }
                password = decoded
            }
        }

        if rest.contains("?") || rest.contains("#") {
            throw invalid("query parameters and fragments are not supported")
        }
        let hostPort: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            hostPort = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            hostPort = rest
            path = ""
        }

        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw invalid("unterminated IPv6 address")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let afterHost = hostPort[hostPort.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else {
                    throw invalid("unexpected text after IPv6 address")
                }
                portText = afterHost.dropFirst()
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        guard !host.isEmpty else {
            throw invalid("missing host")
        }
        guard !host.contains(where: { $0.isWhitespace }) else {
            throw invalid("host \"\(host)\" is not valid")
        }

        var port = 6379
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("port \"\(portText.prefix(16))\" is not a number between 1 and 65535")
            }
            port = value
        }

        var database = 0
        if !path.isEmpty {
            guard let value = Int(path), value >= 0 else {
                throw invalid("database \"\(path.prefix(16))\" is not a non-negative number")
            }
            database = value
        }

        self.init(host: String(host), port: port, username: username, password: password, database: database)
    }
}

extension String {
    /// Decodes `%XX` escapes (UTF-8); `nil` for a malformed escape or invalid UTF-8.
    fileprivate func removingRedisPercentEncoding() -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.utf8.count)
        var iterator = self.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
