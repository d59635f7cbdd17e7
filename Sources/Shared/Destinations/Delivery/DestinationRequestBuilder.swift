import Foundation
import NIOHTTP1

/// Turns one lead into the request its destination expects, through the adapter of the
/// destination's kind (``DestinationRegistry``), and holds the pieces adapters share (headers,
/// URL checks, path segments). Pure: no I/O, no clock beyond the lead's own timestamps.
public enum DestinationRequestBuilder {
    /// The request for `lead` at `destination`, authenticated with `secret` (the decrypted
    /// credential; nil when the destination has none).
    ///
    /// - Throws: ``DeliveryBuildError`` — a permanent failure decided without calling: the lead
    ///   lacks a field the destination requires, or the destination's config or credential is
    ///   missing or malformed. The reason never contains the secret.
    public static func build(
        lead: DeliveryLead,
        destination: Destination,
        secret: String?
    ) throws(DeliveryBuildError)
        -> DeliveryRequest
    {
        guard let adapter = DestinationRegistry.adapter(for: destination.kind) else {
            throw .unknownKind(destination.kind)
        }
        return try adapter.request(for: lead, to: destination, secret: secret)
    }

    /// Sent with every request.
    static let userAgent = "LeadRelay/1"

    /// `Content-Type` and `Accept` JSON plus the user agent.
    static func jsonHeaders() -> HTTPHeaders {
        HTTPHeaders([("Content-Type", "application/json"), ("Accept", "application/json"), ("User-Agent", userAgent)])
    }

    /// The secret, or a configuration error when the destination has none.
    static func requireSecret(_ secret: String?, for destination: Destination) throws(DeliveryBuildError) -> String {
        guard let secret, !secret.isEmpty else {
            throw .configuration("\(destination.kind.displayName) destination has no credential (set one with --secret)")
        }
        return secret
    }

    /// `base` (the destination's `baseURL` override or `defaultBase`) with `path` appended.
    static func endpoint(_ destination: Destination, defaultBase: String, path: String) throws(DeliveryBuildError) -> String {
        var base = destination.baseURL?.trimmingCharacters(in: .whitespaces) ?? ""
        if base.isEmpty { base = defaultBase }
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + path
        try validateURL(url, destination: destination)
        return url
    }

    /// Checks that `url` is an absolute http(s) URL with a host.
    static func validateURL(_ url: String, destination: Destination) throws(DeliveryBuildError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw .configuration("\(destination.kind.displayName) destination URL is not an absolute http(s) URL")
        }
    }

    /// `segment` percent-encoded for use as one path segment.
    static func pathSegment(_ segment: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// A string field of the lead as a JSON value (nil stays nil).
    static func text(_ value: String?) -> JSONValue? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return .string(value)
    }
}
