import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads cells of one spreadsheet with `spreadsheets.values.get`, authorised by a service
/// account's tokens; a 401 replaces the token and tries once more.
public struct GoogleSheetsClient: Sendable {
    /// Where tokens come from (shared by every read of the account).
    public let tokens: GoogleAccessTokenProvider
    let httpClient: OutboundHTTPClient
    let baseURL: String
    let spreadsheetId: String
    /// The most of one answer read (a 10,000-row window of a wide sheet is a few MB).
    static let maxAnswerBytes = 64 * 1_024 * 1_024

    /// A client for `spreadsheetId` at `baseURL` (`https://sheets.googleapis.com`).
    public init(tokens: GoogleAccessTokenProvider, httpClient: OutboundHTTPClient, baseURL: String, spreadsheetId: String) {
        self.tokens = tokens
        self.httpClient = httpClient
        self.baseURL = baseURL
        self.spreadsheetId = spreadsheetId
    }

    /// The rows of the A1 range `range` (one row window), each row's cells as text; trailing
    /// empty cells and rows are absent, as the API leaves them out.
    public func values(_ range: String) async throws(GoogleSheetsError) -> [[String]] {
        var token = try await accessToken()
        var answer = try await get(range, token: token)
        if answer.status == 401 {
            await tokens.invalidate(token)
            token = try await accessToken()
            answer = try await get(range, token: token)
        }
        return try Self.interpret(status: answer.status, body: answer.body)
    }

    /// The URL of `range`'s values: the range percent-encoded as one path segment.
    public func url(_ range: String) -> String {
        let encoded = range.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? range
        return "\(baseURL)/v4/spreadsheets/\(spreadsheetId)/values/\(encoded)"
            + "?majorDimension=ROWS&valueRenderOption=FORMATTED_VALUE"
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private func accessToken() async throws(GoogleSheetsError) -> GoogleAccessToken {
        do {
            return try await tokens.accessToken()
        } catch {
            throw .token(error)
        }
    }

    private func get(_ range: String, token: GoogleAccessToken) async throws(GoogleSheetsError) -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url(range))
        request.headers.add(name: "Authorization", value: token.authorizationHeader)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: DestinationRequestBuilder.userAgent)
        let prepared = request
        let client = httpClient
        do {
            return try await withTimeout(.seconds(60), operation: "the Google Sheets read") {
                let response = try await client.execute(prepared, timeout: .seconds(55))
                let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
                return (Int(response.status.code), Array(body.readableBytesView))
            }
        } catch {
            throw .unavailable("the request failed: \(error)")
        }
    }

    /// The rows of a `values.get` answer, or the error it says.
    static func interpret(status: Int, body: [UInt8]) throws(GoogleSheetsError) -> [[String]] {
        let json = try? JSONValue.parse(body)
        guard (200..<300).contains(status) else {
            var error: [String: JSONValue] = [:]
            if case .object(let root)? = json, case .object(let object)? = root["error"] { error = object }
            let message = error["message"]?.scalarText ?? String(decoding: body.prefix(200), as: UTF8.self)
            let statusText = error["status"]?.scalarText
            switch status {
            case 429: throw .rateLimited(message)
            case 403, 404: throw .notAccessible(status: status, message: [statusText, message].compactMap { $0 }.joined(separator: ": "))
            case 400: throw .badRange(message)
            case 401: throw .unauthorized(message)
            default: throw .unavailable("HTTP \(status): \(message)")
            }
        }
        guard case .object(let root)? = json else { throw .unavailable("the answer is not a JSON object") }
        guard let values = root["values"] else { return [] }
        guard case .array(let rows) = values else { throw .unavailable("the answer's values are not a list") }
        return rows.map { row in
            guard case .array(let cells) = row else { return [] }
            return cells.map { $0.scalarText ?? "" }
        }
    }
}
