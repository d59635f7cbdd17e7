import Shared
import Testing

@Suite("TRUSTED_PROXIES: networks whose forwarded headers are believed")
struct TrustedProxiesTests {
    static let railway = try! TrustedProxies(parsing: "100.64.0.0/10, 10.0.0.0/8,172.16.0.0/12, 192.168.0.0/16, fc00::/7, 203.0.113.7")

    @Test(arguments: [
        ("100.64.0.1", true), ("100.127.255.254", true), ("100.128.0.1", false), ("10.250.3.4", true), ("172.31.0.1", true),
        ("172.32.0.1", false), ("192.168.1.1", true), ("fd12:3456::1", true), ("fe80::1", false), ("::ffff:10.0.0.1", true),
        ("203.0.113.7", true), ("203.0.113.8", false), ("8.8.8.8", false), ("not an address", false), ("", false),
    ])
    func membership(_ address: String, _ trusted: Bool) {
        #expect(Self.railway.contains(address) == trusted)
    }

    @Test func emptyTrustsNobody() throws {
        let nobody = try TrustedProxies(parsing: " ")
        #expect(nobody.isEmpty)
        #expect(!nobody.contains("127.0.0.1"))
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").contains("198.51.100.1"))
        #expect(try !TrustedProxies(parsing: "0.0.0.0/0").contains("2001:db8::1"))
        #expect(try TrustedProxies(parsing: "::/0").contains("2001:db8::1"))
    }

    @Test(arguments: ["10.0.0.0/33", "fd00::/129", "10.0.0/8", "example.com", "10.0.0.0/-1", "10.0.0.0/", "/8"])
    func malformedEntriesNameTheSetting(_ list: String) {
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "127.0.0.1, " + list) }
        do {
            _ = try TrustedProxies(parsing: list)
        } catch {
            #expect(error.variable == "TRUSTED_PROXIES")
        }
    }

    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"), (" 203.0.113.9 ", "203.0.113.9"), ("203.0.113.9:8443", "203.0.113.9"),
        ("[2001:DB8::7]:443", "2001:db8::7"), ("2001:db8:0:0::7", "2001:db8::7"), ("::ffff:198.51.100.2", "198.51.100.2"),
    ])
    func forwardedHopsHaveOneSpelling(_ hop: String, _ canonical: String) {
        #expect(IPAddressText.canonical(hop) == canonical)
    }

    @Test(arguments: ["unknown", "_hidden", "example.com", "203.0.113", "[2001:db8::7", ""])
    func hopsThatAreNoAddressAreRejected(_ hop: String) {
        #expect(IPAddressText.canonical(hop) == nil)
    }
}
