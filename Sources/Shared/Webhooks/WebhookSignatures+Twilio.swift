import Crypto
import Foundation

/// Twilio's `X-Twilio-Signature`, checked as Twilio's own validator (`twilio-python`
/// `request_validator.py`) does.
extension WebhookSignatures {
    /// Checks `X-Twilio-Signature`: base64 of the HMAC-SHA1, keyed with the account's auth token, of
    /// the request URL followed, for each form parameter name in code-point order, by the name and
    /// each of its distinct values in code-point order (`name + value`, no separators). Every
    /// parameter counts (Twilio adds new ones without notice); empty values count too.
    ///
    /// `url` is the full URL Twilio requested, exactly as configured in Twilio: scheme, host, path
    /// and the query string (see ``twilioRequestURL(publicURL:rawQuery:)``). Like Twilio's
    /// validators, the check passes for `url` as given or with its port toggled: removed when it has
    /// one, the scheme's default (`443` for https, `80` otherwise) added when it has none.
    ///
    /// When the URL's query holds `bodySHA256` (Twilio's JSON webhooks), the body is not a form:
    /// the lower-case hex SHA-256 of the raw `body` must equal that value, and the HMAC covers the
    /// URL alone. Otherwise `body` is read as `application/x-www-form-urlencoded` (UTF-8); a GET
    /// webhook has an empty body and its parameters in the URL.
    ///
    /// - Throws: 401 `bad_signature` when `authToken` is empty, the header is missing or is not the
    ///   base64 of 20 bytes, `bodySHA256` does not match the body, or the signature does not match.
    public static func verifyTwilio(url: String, body: [UInt8], header: String?, authToken: String) throws(WebhookRejection) {
        guard !authToken.isEmpty else { throw .badSignature("no auth token is configured for this source") }
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw .badSignature("missing X-Twilio-Signature header")
        }
        guard let signature = WebhookEncoding.bytes(base64: header), signature.count == Insecure.SHA1.byteCount else {
            throw .badSignature("malformed X-Twilio-Signature header: expected the base64 of a 20-byte HMAC-SHA1")
        }
        var parameters: [(name: String, value: String)] = []
        if let bodyHash = twilioQueryValue(named: "bodySHA256", in: url) {
            let expected = SHA256.hash(data: body)
            guard let received = WebhookEncoding.bytes(hex: bodyHash), expected == received else {
                throw .badSignature("bodySHA256 in the URL does not match the body")
            }
        } else {
            parameters = FormURLEncoded.pairs(body)
        }
        let key = SymmetricKey(data: Array(authToken.utf8))
        var matched = false
        for candidate in twilioURLVariants(url) {
            // Every variant is checked (constant time each), so timing does not reveal which matched.
            let content = twilioSignedContent(url: candidate, parameters: parameters)
            if HMAC<Insecure.SHA1>.isValidAuthenticationCode(signature, authenticating: content, using: key) { matched = true }
        }
        guard matched else {
            throw .badSignature(
                "X-Twilio-Signature does not match the URL and parameters "
                    + "(is public_url exactly the URL configured in Twilio?)"
            )
        }
    }

    /// The `X-Twilio-Signature` value for a request to `url` with these form `parameters` (none for
    /// a JSON or GET webhook), as Twilio computes it (for tests and senders).
    public static func twilioSignature(url: String, parameters: [(name: String, value: String)], authToken: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: twilioSignedContent(url: url, parameters: parameters),
            using: SymmetricKey(data: Array(authToken.utf8))
        )
        return Data(mac).base64EncodedString()
    }

    /// The lower-case hex SHA-256 of a JSON webhook's raw body, the `bodySHA256` query value.
    public static func twilioBodySHA256(_ body: [UInt8]) -> String {
        WebhookEncoding.hex(SHA256.hash(data: body))
    }

    /// The URL Twilio signed: `publicURL` (the URL configured in Twilio) with its query string and
    /// fragment replaced by the request's raw query (`?` + `rawQuery` when it is not empty).
    public static func twilioRequestURL(publicURL: String, rawQuery: String?) -> String {
        let base = publicURL.prefix { $0 != "?" && $0 != "#" }
        guard let rawQuery, !rawQuery.isEmpty else { return String(base) }
        return base + "?" + rawQuery
    }

    /// The URL followed by every parameter name (ascending by UTF-8 bytes, which is code-point order)
    /// and, per name, each distinct value in the same order, concatenated as `name + value`.
    static func twilioSignedContent(url: String, parameters: [(name: String, value: String)]) -> [UInt8] {
        var content = Array(url.utf8)
        let valuesByName = Dictionary(grouping: parameters) { Array($0.name.utf8) }
        for (name, entries) in valuesByName.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let values = Set(entries.map { Array($0.value.utf8) }).sorted { $0.lexicographicallyPrecedes($1) }
            for value in values {
                content.append(contentsOf: name)
                content.append(contentsOf: value)
            }
        }
        return content
    }

    /// `url` as given, then with its port toggled: removed when the authority has one, the scheme's
    /// default port added when it has none. A URL without `://` is only tried as given.
    static func twilioURLVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map(authority.index(after:)) ?? authority.startIndex
        let hostAndPort = authority[hostStart...]
        // An IPv6 literal's colons are inside the brackets; the port colon comes after `]`.
        let portSearchStart = hostAndPort.lastIndex(of: "]") ?? hostAndPort.startIndex
        if let colon = hostAndPort[portSearchStart...].lastIndex(of: ":"),
            hostAndPort[hostAndPort.index(after: colon)...].allSatisfy(\.isASCIIDigit)
        {
            return [url, String(url[..<colon] + url[authorityEnd...])]
        }
        let defaultPort = url[..<schemeEnd.lowerBound].lowercased() == "https" ? ":443" : ":80"
        return [url, String(url[..<authorityEnd] + defaultPort + url[authorityEnd...])]
    }

    /// The first value of the query parameter `name` in `url` (before any fragment), decoded.
    private static func twilioQueryValue(named name: String, in url: String) -> String? {
        guard let questionMark = url.firstIndex(of: "?") else { return nil }
        let query = url[url.index(after: questionMark)...].prefix { $0 != "#" }
        return FormURLEncoded.pairs(Array(query.utf8)).first { $0.name == name }?.value
    }
}
