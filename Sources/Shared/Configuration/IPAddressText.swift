import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IP addresses written as text, in settings and in `X-Forwarded-For` hops.
public enum IPAddressText {
    /// The address's bytes: 4 for IPv4 (IPv4-mapped IPv6 `::ffff:a.b.c.d` included, so that one
    /// client has one address whichever way its socket reports it), else 16; nil when `text` is not
    /// an IP address.
    public static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped ? Array(bytes[12...]) : bytes
    }

    /// The one spelling of the address in `entry` (`203.0.113.7`, `2001:db8::1`), with a port,
    /// IPv6 brackets and surrounding spaces removed; nil when `entry` holds no IP address (`unknown`,
    /// an obfuscated identifier, a host name).
    public static func canonical(_ entry: some StringProtocol) -> String? {
        var text = Substring(String(entry).trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = text[..<colon]  // IPv4 with a port
        }
        guard text.utf8.count <= 45, var bytes = bytes(String(text)) else { return nil }
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &bytes, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
