import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Asks GoHighLevel whether it has a contact: by the contact id it gave on delivery
/// (v2 `GET /contacts/{id}`, v1 `GET /v1/contacts/{id}`), else by email and phone
/// (v2 `GET /contacts/search/duplicate?locationId&email&number`, v1 `GET /v1/contacts/lookup?email&phone`).
struct GHLContactLookup: DestinationContactLookup {
    /// Which API the destination speaks.
    let api: GoHighLevelAPI
    let baseURL: String
    let token: String
    /// The v2 location; nil for v1.
    let locationId: String?
    let timeout: TimeAmount
    /// The destination may call private networks (an operator's choice).
    let allowPrivateNetwork: Bool

    /// A lookup in `api` for `destination`, authenticated with its opened credential.
    init(api: GoHighLevelAPI, destination: Destination, token: String) throws(ReconcileError) {
        self.api = api
        var base = destination.baseURL?.trimmingCharacters(in: .whitespaces) ?? ""
        if base.isEmpty { base = api.defaultBaseURL }
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        self.token = token
        timeout = .milliseconds(Int64(destination.timeoutMilliseconds))
        allowPrivateNetwork = destination.allowPrivateNetwork
        if api == .v2 {
            let location =
                (destination.config["locationId"] ?? destination.config["location_id"])?.scalarText?
                .trimmingCharacters(in: .whitespaces) ?? ""
            guard !location.isEmpty else {
                throw ReconcileError("destination '\(destination.name)' has no locationId in its config")
            }
            locationId = location
        } else {
            locationId = nil
        }
    }

    /// `GoHighLevel` or `GoHighLevel v1`.
    var displayName: String { api.displayName }

    /// The URL that looks the contact up by its id.
    func contactURL(id: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        let segment = id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
        return baseURL + (api == .v2 ? "/contacts/" : "/v1/contacts/") + segment
    }

    /// The URL that searches by email and/or phone.
    func searchURL(email: String?, phone: String?) -> String {
        var items: [(String, String)] = []
        if let locationId { items.append(("locationId", locationId)) }
        if let email { items.append(("email", email)) }
        if let phone { items.append((api == .v2 ? "number" : "phone", phone)) }
        let query = items.map { "\($0.0)=\(Self.queryEncoded($0.1))" }.joined(separator: "&")
        return baseURL + (api == .v2 ? "/contacts/search/duplicate" : "/v1/contacts/lookup") + "?" + query
    }

    /// Performs one GET of `url` and interprets the answer; `byId` reads `contact`, a search
    /// `contact` (v2) or `contacts` (v1).
    func get(_ url: String, byId: Bool, http: OutboundHTTPClient) async throws(ReconcileError) -> ContactLookupAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: DestinationRequestBuilder.userAgent)
        if api == .v2 { request.headers.add(name: "Version", value: GoHighLevelAPI.versionHeader) }
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout, allowPrivateNetwork: allowPrivateNetwork)
            status = Int(response.status.code)
            headers = response.headers
            body = try await response.body.collect(upTo: 1_024 * 1_024)
        } catch {
            return .unknown("request failed: \(error)")
        }
        let text = String(buffer: body)
        switch status {
        case 200..<300: return Self.interpret(text, byId: byId, v1: api == .v1)
        case 401, 403:
            throw ReconcileError(
                "\(displayName) refused the destination's credential (HTTP \(status)); fix it with leadctl destination update --secret"
            )
        case 404: return .missing
        case 400 where text.lowercased().contains("not found"), 422 where text.lowercased().contains("not found"): return .missing
        case 429: return .rateLimited(Self.retryDelay(headers))
        default: return .unknown("HTTP \(status): \(text.prefix(200))")
        }
    }

    /// A 2xx body: found when it holds a contact (or, for a v1 search, a non-empty list).
    static func interpret(_ text: String, byId: Bool, v1: Bool) -> ContactLookupAnswer {
        guard case .object(let object)? = try? JSONValue.parse(text) else {
            return .unknown("the answer is not a JSON object")
        }
        if v1 && !byId {
            guard case .array(let contacts)? = object["contacts"] else { return .missing }
            guard case .object(let first)? = contacts.first else { return .missing }
            return .found(contactId: first["id"]?.scalarText)
        }
        guard case .object(let contact)? = object["contact"] else { return .missing }
        return .found(contactId: contact["id"]?.scalarText)
    }

    /// How long a 429 asks to wait: `Retry-After` seconds or GoHighLevel's `X-RateLimit-Interval-Milliseconds`.
    static func retryDelay(_ headers: HTTPHeaders) -> Duration? {
        if let seconds = headers.first(name: "Retry-After").flatMap(Double.init), seconds >= 0 {
            return .milliseconds(Int64(min(seconds, 60) * 1_000))
        }
        if let milliseconds = headers.first(name: "X-RateLimit-Interval-Milliseconds").flatMap(Int64.init), milliseconds > 0 {
            return .milliseconds(min(milliseconds, 60_000))
        }
        return nil
    }

    /// `value` percent-encoded for a query (`+` and `@` included, as GoHighLevel asks).
    static func queryEncoded(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
