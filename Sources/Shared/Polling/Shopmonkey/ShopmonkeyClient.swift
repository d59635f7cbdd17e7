import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads Shopmonkey records for polling: `POST {base}/{resource}/search` pages of records updated
/// since a time, and `GET {base}/customer/{id}`. Answers come in Shopmonkey's envelope
/// `{"success", "data", "meta": {"hasMore"}}`.
public struct ShopmonkeyClient: Sendable {
    let httpClient: OutboundHTTPClient
    let baseURL: String
    let apiToken: String
    /// Records per page: Shopmonkey clamps larger limits to 100 without saying so.
    public static let pageSize = 100

    /// A client for `baseURL` (`https://api.shopmonkey.cloud/v3`) with `apiToken`.
    public init(httpClient: OutboundHTTPClient, baseURL: String, apiToken: String) {
        self.httpClient = httpClient
        self.baseURL = baseURL
        self.apiToken = apiToken
    }

    /// One page of search results.
    public struct Page: Sendable {
        public var records: [[String: JSONValue]]
        public var hasMore: Bool
    }

    /// Page `skip` of `resource` records updated at or after `since` (all when nil), oldest first
    /// as far as Shopmonkey honours it.
    public func search(_ resource: ShopmonkeyPollConfig.Resource, since: Date?, skip: Int) async throws(ShopmonkeyPollError) -> Page {
        var body: [String: JSONValue] = [
            "orderBy": .object(["updatedDate": .string("asc")]), "limit": .number(JSONNumber(Self.pageSize)),
            "skip": .number(JSONNumber(skip)),
        ]
        if let since {
            body["where"] = .object(["updatedDate": .object(["gte": .string(ShopmonkeyTime.text(since))])])
        }
        var bytes: [UInt8] = []
        JSONValue.object(body).writeJSON(into: &bytes)
        let root = try await send(.POST, "\(baseURL)/\(resource.rawValue)/search", body: bytes)
        guard case .array(let items)? = root["data"] else { throw .unavailable("the answer has no data list") }
        let records = items.compactMap { item -> [String: JSONValue]? in
            if case .object(let object) = item { return object }
            return nil
        }
        var hasMore = false
        if case .object(let meta)? = root["meta"], case .bool(let more)? = meta["hasMore"] { hasMore = more }
        return Page(records: records, hasMore: hasMore)
    }

    /// The customer `id`.
    public func customer(_ id: String) async throws(ShopmonkeyPollError) -> [String: JSONValue] {
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
        let root = try await send(.GET, "\(baseURL)/customer/\(encoded)", body: nil)
        guard case .object(let customer)? = root["data"] else { throw .unavailable("the answer has no customer") }
        return customer
    }

    private func send(_ method: HTTPMethod, _ url: String, body: [UInt8]?) async throws(ShopmonkeyPollError) -> [String: JSONValue] {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiToken)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: DestinationRequestBuilder.userAgent)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let prepared = request
        let client = httpClient
        let answer: (status: Int, retryAfter: String?, body: [UInt8])
        do {
            answer = try await withTimeout(.seconds(30), operation: "the Shopmonkey request") {
                let response = try await client.execute(prepared, timeout: .seconds(25))
                let body = try await response.body.collect(upTo: 16 * 1_024 * 1_024)
                return (Int(response.status.code), response.headers.first(name: "Retry-After"), Array(body.readableBytesView))
            }
        } catch {
            throw .unavailable("the request failed: \(error)")
        }
        var root: [String: JSONValue] = [:]
        if case .object(let object)? = try? JSONValue.parse(answer.body) { root = object }
        let message = root["message"]?.scalarText ?? String(decoding: answer.body.prefix(200), as: UTF8.self)
        switch answer.status {
        case 200..<300:
            guard root["success"] != .bool(false) else { throw .refused(status: answer.status, message: message) }
            return root
        case 401, 403: throw .unauthorized("HTTP \(answer.status): \(message)")
        case 429: throw .rateLimited(retryAfter: answer.retryAfter.flatMap(ShopmonkeyTime.retryAfter))
        case 400..<500: throw .refused(status: answer.status, message: message)
        default: throw .unavailable("HTTP \(answer.status): \(message)")
        }
    }
}

/// Shopmonkey's timestamps and `Retry-After`.
public enum ShopmonkeyTime {
    /// `date` as Shopmonkey writes it: ISO 8601 UTC with milliseconds.
    public static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// An ISO 8601 time with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// A `Retry-After` value: seconds, or an HTTP date.
    static func retryAfter(_ text: String) -> Duration? {
        if let seconds = Int(text.trimmingCharacters(in: .whitespaces)) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
    }
}
