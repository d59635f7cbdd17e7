import NIOCore
import Shared
import Testing

@Suite("Network address classes (SSRF protection)")
struct NetworkAddressClassTests {
    static let cases: [(String, NetworkAddressClass)] = [
        ("8.8.8.8", .public), ("93.184.216.34", .public), ("172.32.0.1", .public), ("2606:4700:4700::1111", .public),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("::1", .loopback), ("[::1]", .loopback),
        ("10.0.0.1", .private), ("10.255.255.255", .private), ("172.16.0.1", .private), ("172.31.255.255", .private),
        ("192.168.1.1", .private), ("100.64.0.1", .private),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal),
        ("fd12:3456:789a::1", .uniqueLocal), ("fc00::1", .uniqueLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("255.255.255.255", .reserved), ("240.0.0.1", .reserved), ("192.0.2.1", .reserved), ("2001:db8::1", .reserved),
        // IPv6 forms that reach an IPv4 address are judged by that address.
        ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal), ("::ffff:10.0.0.1", .private),
        ("::ffff:8.8.8.8", .public), ("::127.0.0.1", .loopback), ("64:ff9b::10.0.0.1", .private),
        ("64:ff9b::8.8.8.8", .public), ("2002:7f00:0001::", .loopback), ("2002:a9fe:a9fe::1", .linkLocal),
    ]

    @Test("IP literals are classified", arguments: cases)
    func literal(_ text: String, _ expected: NetworkAddressClass) throws {
        #expect(NetworkAddressClass(literal: text) == expected)
    }

    @Test(arguments: ["crm.example.com", "127.1", "2130706433", "0x7f.0.0.1", ""])
    func namesAndNumericShorthandsAreNotLiterals(_ text: String) {
        // inet_pton refuses these; they must go through resolution (where `127.1` becomes 127.0.0.1).
        #expect(NetworkAddressClass(literal: text) == nil)
    }

    @Test func onePrivateAddressAmongManyRefusesTheName() throws {
        let addresses = [try SocketAddress(ipAddress: "8.8.8.8", port: 0), try SocketAddress(ipAddress: "10.1.1.1", port: 0)]
        let refusal = OutboundAddressPolicy.publicOnly.refusal(host: "crm.example", addresses: addresses)
        #expect(refusal?.address == "10.1.1.1")
        #expect(refusal?.addressClass == .private)
        #expect(refusal?.description.contains("refused to call crm.example: it resolves to 10.1.1.1, a private address") == true)
        #expect(OutboundAddressPolicy.allowingPrivateNetworks.refusal(host: "crm.example", addresses: addresses) == nil)
        #expect(OutboundAddressPolicy.publicOnly.refusal(host: "crm.example", addresses: addresses, allowPrivateNetwork: true) == nil)
    }

    @Test(arguments: ["localhost", "LOCALHOST.", "api.localhost", "postgres.railway.internal", "printer.local", "nas.home.arpa"])
    func privateNamesAreRefusedBeforeAnyLookup(_ name: String) {
        #expect(OutboundAddressPolicy.publicOnly.refusal(forName: name) != nil)
        #expect(OutboundAddressPolicy.publicOnly.refusal(forName: name, allowPrivateNetwork: true) == nil)
    }
}
