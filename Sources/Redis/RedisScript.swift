/// A Lua script run with ``RedisCommandSending/evalScript(_:keys:arguments:)``.
///
/// Its SHA-1 is computed locally when created, so the script is normally invoked with
/// `EVALSHA` and its source is sent (`EVAL`) only when the server does not know it yet.
///
/// ```swift
/// static let claim = RedisScript("return redis.call('SET', KEYS[1], ARGV[1], 'NX')")
/// ```
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of ``source``, as `SCRIPT LOAD` would return it.
    public let sha1: String

    /// A script with the given Lua source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = RedisSHA1.hexDigest(of: Array(source.utf8))
    }
}

extension RedisCommandSending {
    /// Runs `script` with `EVALSHA`, falling back to `EVAL` (which also caches it on the
    /// server) when the server answers `NOSCRIPT` — e.g. after a restart or `SCRIPT FLUSH`.
    ///
    /// - Throws: ``RedisServerError`` for errors raised by the script or the server.
    public func evalScript(
        _ script: RedisScript,
        keys: [RedisArgument] = [],
        arguments: [RedisArgument] = []
    ) async throws -> RedisValue {
        let tail = [RedisArgument(keys.count)] + keys + arguments
        do {
            return try await self.send(["EVALSHA", RedisArgument(script.sha1)] + tail)
        } catch let error as RedisServerError where error.code == "NOSCRIPT" {
            return try await self.send(["EVAL", RedisArgument(script.source)] + tail)
        }
    }
}

/// A minimal SHA-1 (FIPS 180-4), used only to name Lua scripts the way Redis does.
enum RedisSHA1 {
    /// The digest of `message` as 40 lowercase hex digits.
    static func hexDigest(of message: [UInt8]) -> String {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 {
            padded.append(0)
        }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }

        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(padded[j]) << 24 | UInt32(padded[j + 1]) << 16 | UInt32(padded[j + 2]) << 8 | UInt32(padded[j + 3])
            }
            for i in 16..<80 {
                w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotatedLeft(1)
            }
            var (a, b, c, d, e) = h
            for i in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(30), a, temp)
            }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
        }

        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(40)
        for word in [h.0, h.1, h.2, h.3, h.4] {
            for shift in stride(from: 28, through: 0, by: -4) {
                hex.append(digits[Int((word >> UInt32(shift)) & 0xF)])
            }
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}
