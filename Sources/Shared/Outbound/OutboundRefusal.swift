/// A call LeadRelay refused to make because its target is on a private network (server-side
/// request forgery protection). Its description is the reason shown in attempt rows and forms.
public struct OutboundRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host of the URL as written.
    public var host: String
    /// The address refused (the host itself when it is an IP literal); nil when the name alone was refused.
    public var address: String?
    /// The class of ``address`` (or of the name).
    public var addressClass: NetworkAddressClass

    /// A refusal of `host` (resolving to `address`, of class `addressClass`).
    public init(host: String, address: String?, addressClass: NetworkAddressClass) {
        self.host = host
        self.address = address
        self.addressClass = addressClass
    }

    public var description: String {
        let target: String
        switch address {
        case let address? where address != host: target = "\(host): it resolves to \(address), a \(addressClass.rawValue) address"
        case .some: target = "\(host), a \(addressClass.rawValue) address"
        case nil: target = "\(host): the name belongs to a \(addressClass.rawValue) network"
        }
        return "refused to call \(target); calls to private networks are not allowed "
            + "(an operator can allow them for this destination)"
    }
}

/// A URL whose scheme is not http or https (`http+unix://` would reach a local socket): never called.
public struct UnsupportedURLSchemeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scheme as written, lowercased.
    public var scheme: String

    public var description: String { "refused to call a \(scheme):// URL: only http and https are allowed" }
}
