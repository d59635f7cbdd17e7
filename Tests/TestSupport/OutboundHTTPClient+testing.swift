import Shared

extension OutboundHTTPClient {
    /// One client for tests whose CRM stand-ins listen on loopback: private networks allowed.
    /// Lives as long as the test process (like `HTTPClient.shared`), so it is never shut down.
    public static let allowingPrivateNetworksForTests = OutboundHTTPClient(policy: .allowingPrivateNetworks)
}
