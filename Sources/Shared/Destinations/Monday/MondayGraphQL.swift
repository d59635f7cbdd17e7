import Foundation
import NIOHTTP1

/// monday.com's GraphQL API v2 as the `monday_status` destination calls it (reference §5.1):
/// `POST {api_base_url}/v2` with `Authorization: <token>` (the raw token, no `Bearer`),
/// `API-Version: <version>` and a JSON body `{"query": …, "variables": {…}}`. Every value a user
/// typed (board, item, column, label) travels in `variables`, never inside the query text.
enum MondayGraphQL {
    /// monday's API host; the endpoint is `{base}/v2`.
    static let defaultBaseURL = "https://api.monday.com"
    /// The API version pinned when none is configured (reference §5.1: SDK 11.x default; its
    /// errors carry `COMPLEXITY_BUDGET_EXHAUSTED` with `retry_in_seconds`).
    static let defaultVersion = "2025-07"

    /// The request running `query` with `variables` against `destination`'s board, authenticated
    /// with `secret` (the API token).
    static func request(
        query: String,
        variables: [String: JSONValue],
        destination: Destination,
        secret: String?
    ) throws(DeliveryBuildError) -> DeliveryRequest {
        let config = DestinationConfig(destination, kindName: MondayStatusAdapter.name)
        let token = try DestinationRequestBuilder.requireSecret(secret, for: destination)
        var base = destination
        if let override = try config.string("api_base_url", "apiBaseUrl") { base.baseURL = override }
        var headers = DestinationRequestBuilder.jsonHeaders()
        headers.add(name: "Authorization", value: token)
        headers.add(name: "API-Version", value: try config.string("api_version", "apiVersion") ?? defaultVersion)
        return DeliveryRequest(
            method: .POST,
            url: try DestinationRequestBuilder.endpoint(base, defaultBase: defaultBaseURL, path: "/v2"),
            headers: headers,
            body: JSONBodyWriter.bytes(.object(["query": .string(query), "variables": .object(variables)])),
            secret: token
        )
    }

    /// Whether a JSON answer reports an error: a non-empty `errors` list (API ≥ 2025-01, and
    /// alongside partial `data`) or the legacy top-level `error_code` / `error_message`.
    static func reportsError(_ json: JSONValue?) -> Bool {
        guard let members = json?.objectMembers else { return false }
        if case .array(let errors)? = members["errors"], !errors.isEmpty { return true }
        return members["error_code"]?.scalarText != nil || members["error_message"]?.scalarText != nil
    }

    /// Whether `text` looks like a column id (`status`, `color_mkq1abc`, `email_1`): ASCII letters,
    /// digits, `_` and `-`; a title has spaces or other letters.
    static func isColumnID(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" }
    }
}
