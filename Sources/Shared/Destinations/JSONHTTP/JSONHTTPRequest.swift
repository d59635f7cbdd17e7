import Foundation
import NIOHTTP1

/// NPA and generic JSON-over-HTTP destinations: one JSON object built from a field map.
///
/// Config: `url` (required unless the destination's base URL override is the whole URL; with
/// both, the override replaces the URL's scheme, host and port), `method` (POST, PUT or PATCH;
/// default POST), `headers` (fixed, non-secret), `auth_header` (default `Authorization`) and
/// `auth_scheme` (default `Bearer` for `Authorization`, none otherwise) carrying the secret —
/// or `auth_body_field` to put the secret in the body instead —, `field_map` (see
/// ``JSONHTTPStyle/presetFieldMap``), `static_fields` (an object merged into every body), `include_extra`
/// (generic HTTP only, default true), `required_fields` (lead fields that must be present), and
/// the success rules of ``JSONHTTPSuccessRules``. Generic HTTP requests carry
/// `Idempotency-Key: leadrelay-<lead id>-<destination id>`, the same on every attempt.
enum JSONHTTPRequest {
    /// The methods a JSON-over-HTTP destination may use.
    static let allowedMethods: [String: HTTPMethod] = ["POST": .POST, "PUT": .PUT, "PATCH": .PATCH]

    /// The request for `lead` in `style`; see the type's documentation for the config it reads.
    static func build(
        lead: DeliveryLead,
        destination: Destination,
        secret: String?,
        style: JSONHTTPStyle
    ) throws(DeliveryBuildError)
        -> DeliveryRequest
    {
        let config = DestinationConfig(destination, kindName: style.displayName)
        let kind = style.displayName
        _ = try JSONHTTPSuccessRules(config)
        let url = try resolveURL(config: config, destination: destination)
        let methodName = try config.string("method")?.uppercased() ?? "POST"
        guard let method = allowedMethods[methodName] else {
            throw .configuration("\(kind) config method must be POST, PUT or PATCH, not \(methodName)")
        }
        for field in try config.strings("required_fields", "requiredFields") where lead.value(forField: field) == nil {
            throw .invalidLead("\(kind) destination requires \(field); the lead has none")
        }

        var body = JSONValue.object([:])
        let fieldMap = try config.stringMap("field_map", "fieldMap") ?? style.presetFieldMap
        for source in fieldMap.keys.sorted() {
            guard let target = fieldMap[source], !target.isEmpty, let value = lead.value(forField: source) else { continue }
            JSONPath.set(value, in: &body, at: target)
        }
        if style.sendsExtra, config.value("field_map", "fieldMap") == nil, config.value("include_extra") != .bool(false),
            !lead.extra.isEmpty
        {
            JSONPath.set(.object(lead.extra), in: &body, at: "extra")
        }
        body = JSONPath.merge(body, with: .object(try config.object("static_fields", "staticFields")))

        var headers = DestinationRequestBuilder.jsonHeaders()
        if style.sendsIdempotencyKey {
            // The same key on every attempt of this lead to this destination, so a receiver can
            // drop the duplicate a crashed worker's retry may send (delivery is at least once).
            headers.replaceOrAdd(name: "Idempotency-Key", value: "leadrelay-\(lead.id)-\(destination.id.uuidString.lowercased())")
        }
        for (name, value) in try config.stringMap("headers") ?? [:] {
            headers.replaceOrAdd(name: name, value: value)
        }
        let bodyField = try config.string("auth_body_field", "authBodyField")
        let headerName = try config.string("auth_header", "authHeader")
        if bodyField != nil || headerName != nil, secret?.isEmpty ?? true {
            throw .configuration("\(kind) destination has no credential for its configured authentication (set one with --secret)")
        }
        if let secret, !secret.isEmpty {
            if let bodyField { JSONPath.set(.string(secret), in: &body, at: bodyField) }
            if headerName != nil || bodyField == nil {
                let name = headerName ?? "Authorization"
                let scheme = try config.string("auth_scheme", "authScheme") ?? (name.lowercased() == "authorization" ? "Bearer" : "")
                headers.replaceOrAdd(name: name, value: scheme.isEmpty ? secret : "\(scheme) \(secret)")
            }
        }
        return DeliveryRequest(method: method, url: url, headers: headers, body: JSONBodyWriter.bytes(body), secret: secret)
    }

    /// The configured `url`, re-pointed at the destination's base URL override when it has one.
    static func resolveURL(config: DestinationConfig, destination: Destination) throws(DeliveryBuildError) -> String {
        let configured = try config.string("url")
        let trimmedOverride = destination.baseURL?.trimmingCharacters(in: .whitespaces) ?? ""
        let override = trimmedOverride.isEmpty ? nil : trimmedOverride
        let url: String
        switch (configured, override) {
        case (nil, nil):
            throw .configuration("\(destination.kind.displayName) destination has no url in its config")
        case (let configured?, nil):
            url = configured
        case (nil, let override?):
            url = override
        case (let configured?, let override?):
            var base = override
            while base.hasSuffix("/") { base.removeLast() }
            if let components = URLComponents(string: configured), components.scheme != nil {
                let path = components.percentEncodedPath
                url =
                    base + (path.hasPrefix("/") || path.isEmpty ? path : "/" + path)
                    + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
            } else {
                url = base + (configured.hasPrefix("/") ? configured : "/" + configured)
            }
        }
        try DestinationRequestBuilder.validateURL(url, destination: destination)
        return url
    }
}
