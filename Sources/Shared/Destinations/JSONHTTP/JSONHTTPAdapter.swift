import Foundation

/// JSON over HTTP, one adapter per ``JSONHTTPStyle`` (generic `http`, `npa`): the request built
/// from the config by ``JSONHTTPRequest``, success by ``JSONHTTPSuccessRules``, no rate limit
/// by default, and the account keyed by the URL's host.
struct JSONHTTPAdapter: DestinationAdapter {
    /// The kind's name, preset and extras.
    let style: JSONHTTPStyle

    var kind: DestinationKind { style.kind }
    var displayName: String { style.displayName }

    var configFields: [DestinationConfigField] {
        style.sendsExtra ? Self.fields + [Self.includeExtra] : Self.fields
    }

    var exampleConfig: [String: JSONValue] { ["url": .string("https://partner.example.com/api/leads")] }

    /// `<kind>:<the URL's host>` (else the name); no rate limit, fast retries.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        DestinationPolicy(accountKey: "\(kind.rawValue):" + (config["url"]?.scalarText.flatMap { URL(string: $0)?.host } ?? name))
    }

    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        let reader = DestinationConfig(config, kindName: displayName)
        _ = try JSONHTTPSuccessRules(reader)
        if let method = try reader.string("method")?.uppercased(), JSONHTTPRequest.allowedMethods[method] == nil {
            throw .configuration("\(displayName) config method must be POST, PUT or PATCH, not \(method)")
        }
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try JSONHTTPRequest.build(lead: lead, destination: destination, secret: secret, style: style)
    }

    /// The configured `success_statuses` and `success_match` (malformed rules: the defaults).
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        let status = answer.status
        let rules = (try? JSONHTTPSuccessRules(DestinationConfig(destination, kindName: displayName))) ?? JSONHTTPSuccessRules()
        if rules.accepts(status: status) {
            if let failed = rules.failedMatch(in: answer.json) {
                let detail = DeliveryClassifier.message(in: answer.json).map { ": " + $0 } ?? ""
                let reason = "HTTP \(status) without \(failed.path) = \(JSONBodyWriter.text(failed.expected))\(detail)"
                return .permanent(
                    reason: DeliveryClassifier.scrubbed(reason, scrubber),
                    httpStatus: status,
                    errorClass: .unexpectedResponse,
                    responseExcerpt: answer.excerpt
                )
            }
            return .succeeded(externalId: rules.externalId(in: answer.json), httpStatus: status, responseExcerpt: answer.excerpt)
        }
        if (200...299).contains(status) {
            return .permanent(
                reason: "HTTP \(status) is not one of the destination's success_statuses",
                httpStatus: status,
                errorClass: .unexpectedResponse,
                responseExcerpt: answer.excerpt
            )
        }
        return nil
    }
}

extension JSONHTTPAdapter {
    /// The settings of every JSON-over-HTTP kind (see ``JSONHTTPRequest`` and ``JSONHTTPSuccessRules``).
    static let fields = [
        DestinationConfigField("url", help: "Where leads are sent (a base URL override replaces its scheme, host and port)."),
        DestinationConfigField("method", help: "POST (default), PUT or PATCH."),
        DestinationConfigField("headers", shape: .stringMap, help: "Fixed, non-secret headers."),
        DestinationConfigField("auth_header", "authHeader", help: "The header carrying the secret (default Authorization)."),
        DestinationConfigField("auth_scheme", "authScheme", help: "The secret's scheme (default Bearer for Authorization)."),
        DestinationConfigField("auth_body_field", "authBodyField", help: "Put the secret in the body at this dotted path instead."),
        DestinationConfigField("field_map", "fieldMap", shape: .stringMap, help: #"{"<lead field or extra key>": "<their name>"}"#),
        DestinationConfigField("static_fields", "staticFields", shape: .object, help: "An object merged into every body."),
        DestinationConfigField("required_fields", "requiredFields", shape: .strings, help: "Lead fields that must be present."),
        DestinationConfigField("success_statuses", "successStatuses", shape: .strings, help: "Codes or classes that mean delivered (2xx)."),
        DestinationConfigField(
            "success_match",
            "successMatch",
            shape: .object,
            help: #"{"<dotted path>": <value>} the answer must hold, e.g. {"status": "ok"}"#
        ),
        DestinationConfigField("external_id_path", "externalIdPath", help: "Where the answer holds the id for the lead."),
    ]

    /// Generic HTTP only: whether the lead's `extra` is sent when no `field_map` is set.
    static let includeExtra = DestinationConfigField(
        "include_extra",
        shape: .boolean,
        help: "Send the lead's extra answers as extra (default true; no field_map only)."
    )
}
