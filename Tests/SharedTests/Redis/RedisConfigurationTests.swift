import Redis
import Shared
import Testing

@Suite("RedisConfiguration URL parsing")
struct RedisConfigurationTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        var url: String
        var host: String
        var port: Int
        var username: String?
        var password: String?
        var database: Int
        var testDescription: String { self.url }
    }

    @Test(arguments: [
        ValidCase(url: "redis://localhost", host: "localhost", port: 6379, database: 0),
        ValidCase(url: "redis://127.0.0.1:6390/0", host: "127.0.0.1", port: 6390, database: 0),
        ValidCase(url: "redis://:s3cret@cache:7000/2", host: "cache", port: 7000, password: "s3cret", database: 2),
        ValidCase(url: "redis://alice:pw@cache/5", host: "cache", port: 6379, username: "alice", password: "pw", database: 5),
        ValidCase(url: "redis://:p%40ss%3Aw0rd@h:1", host: "h", port: 1, password: "p@ss:w0rd", database: 0),
        ValidCase(url: "redis://:pa/ss@word@h:2/3", host: "h", port: 2, password: "pa/ss@word", database: 3),
        ValidCase(url: "redis://[::1]:6380/1", host: "::1", port: 6380, database: 1),
        ValidCase(url: "REDIS://host/", host: "host", port: 6379, database: 0),
    ])
    func parsesValidURL(_ valid: ValidCase) throws {
        let configuration = try RedisConfiguration(url: valid.url)
        #expect(configuration.host == valid.host)
        #expect(configuration.port == valid.port)
        #expect(configuration.username == valid.username)
        #expect(configuration.password == valid.password)
        #expect(configuration.database == valid.database)
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.commandTimeout == .seconds(5))
        #expect(!configuration.description.contains("s3cret"))
    }

    @Test(arguments: [
        "http://:s3cret@host:6379",
        "redis://:s3cret@host:notaport",
        "redis://:s3cret@host:70000",
        "redis://:s3cret@host/notadb",
        "redis://:s3cret@host/-1",
        "redis://:s3cret@",
        "redis://:s3cret@:6379",
        "redis://:s3cr%ZZet@host",
        "redis://:s3cret@host?timeout=1",
        "s3cret",
        "",
    ])
    func rejectsMalformedURLWithoutLeakingPassword(_ url: String) {
        let error = #expect(throws: RedisConfigurationError.self) {
            try RedisConfiguration(url: url)
        }
        #expect(error?.message.hasPrefix("invalid Redis URL") == true)
        #expect(error?.description.contains("s3cret") == false)
        #expect(error?.description.contains("s3cr") == false)
    }

    @Test func rejectsTLS() {
        let error = #expect(throws: RedisConfigurationError.self) {
            try RedisConfiguration(url: "rediss://:s3cret@host:6380/0")
        }
        #expect(error?.description.contains("TLS not supported") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test func descriptionMasksPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://bob:hunter2@db.internal:6380/4")
        #expect(configuration.description == "redis://bob:***@db.internal:6380/4")
    }

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        ),
    ])
    func scriptSHA1MatchesKnownVectors(_ source: String, _ digest: String) {
        #expect(RedisScript(source).sha1 == digest)
    }

    @Test func argumentsAndValueAccessors() {
        #expect(RedisArgument("héllo").bytes == Array("héllo".utf8))
        #expect(RedisArgument(42).bytes == Array("42".utf8))
        #expect(RedisArgument(-7).bytes == Array("-7".utf8))
        #expect(RedisArgument(1.5).bytes == Array("1.5".utf8))
        #expect(RedisArgument([0, 255]).bytes == [0, 255])
        let literal: RedisArgument = "GET"
        #expect(literal.bytes == Array("GET".utf8))

        #expect(RedisValue.bulkString(Array("12".utf8)).int == 12)
        #expect(RedisValue.simpleString("OK").string == "OK")
        #expect(RedisValue.integer(3).string == "3")
        #expect(RedisValue.bulkString([0xFF, 0xFE]).string == nil)
        #expect(RedisValue.bulkString([0xFF, 0xFE]).bytes == [0xFF, 0xFE])
        #expect(RedisValue.array([.integer(1), .null]).array == [.integer(1), .null])
        #expect(RedisValue.null.string == nil)
        #expect(RedisValue.null.isNull)
    }
}
