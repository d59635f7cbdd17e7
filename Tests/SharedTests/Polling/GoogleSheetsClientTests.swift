import Foundation
import TestSupport
import Testing

@testable import Shared

@Suite("Google Sheets client: URLs and answers")
struct GoogleSheetsClientTests {
    static func client(baseURL: String = "https://sheets.googleapis.com", spreadsheetId: String = "1AbC-d_E") throws -> GoogleSheetsClient {
        let tokens = GoogleAccessTokenProvider(key: try GoogleTestKey.key(), httpClient: .allowingPrivateNetworksForTests)
        return GoogleSheetsClient(tokens: tokens, httpClient: .allowingPrivateNetworksForTests, baseURL: baseURL, spreadsheetId: spreadsheetId)
    }

    /// The path segment after `/values/` in `url`, still percent-encoded.
    static func rangeSegment(of url: String) throws -> Substring {
        let afterValues = try #require(url.range(of: "/values/")).upperBound
        let query = url[afterValues...].firstIndex(of: "?") ?? url.endIndex
        return url[afterValues..<query]
    }

    @Test func theURLNamesTheSpreadsheetTheRangeAndTheRenderOptions() throws {
        let url = try Self.client(baseURL: "http://127.0.0.1:8080").url("'Leads'!A1:Z10000")
        let expected =
            "http://127.0.0.1:8080/v4/spreadsheets/1AbC-d_E/values/%27Leads%27%21A1%3AZ10000"
            + "?majorDimension=ROWS&valueRenderOption=FORMATTED_VALUE"
        #expect(url == expected)
    }

    @Test(arguments: [
        "'Leads'!A1:Z10000", "'תל אביב'!A1:Z10000", "'Jon''s data'!B2:F10001", "'Leads'!1:10000", "A1:Z10000",
        "'Q1/Q2 #1? 50%+'!A1:Z100", "'עמוד & גיליון'!AA10001:AZ20000",
    ])
    func theRangeIsOnePercentEncodedPathSegmentThatDecodesBack(range: String) throws {
        let url = try Self.client().url(range)
        let segment = try Self.rangeSegment(of: url)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%")
        #expect(segment.allSatisfy { allowed.contains($0) }, "\(segment)")
        #expect(segment.removingPercentEncoding == range)
        let components = try #require(URLComponents(string: url))
        #expect(components.percentEncodedPath == "/v4/spreadsheets/1AbC-d_E/values/\(segment)")
        #expect(components.queryItems?.map(\.name) == ["majorDimension", "valueRenderOption"])
    }

    @Test func aHebrewTabIsEncodedAsUTF8Bytes() throws {
        let segment = try Self.rangeSegment(of: Self.client().url("'תל'!A1:B2"))
        #expect(segment == "%27%D7%AA%D7%9C%27%21A1%3AB2")
    }

    // MARK: - Answers

    static func interpret(status: Int, _ body: String) -> Result<[[String]], GoogleSheetsError> {
        Result { () throws(GoogleSheetsError) in try GoogleSheetsClient.interpret(status: status, body: Array(body.utf8)) }
    }

    @Test func raggedRowsComeBackAsRead() {
        let body = """
            {"range": "Leads!A1:Z1000", "majorDimension": "ROWS",
             "values": [["Name", "Email", "Phone"], ["Dana", "dana@example.com"], [], ["", "", "+972501234567"], ["a", "b", "c", "d"]]}
            """
        let rows = try? Self.interpret(status: 200, body).get()
        #expect(rows == [["Name", "Email", "Phone"], ["Dana", "dana@example.com"], [], ["", "", "+972501234567"], ["a", "b", "c", "d"]])
    }

    @Test func hebrewAndNonTextCellsAreText() {
        let body = #"{"values": [["שם", "טלפון"], ["דנה כהן", 972501234567, true, null, 1.5]]}"#
        let rows = try? Self.interpret(status: 200, body).get()
        #expect(rows == [["שם", "טלפון"], ["דנה כהן", "972501234567", "true", "", "1.5"]])
    }

    @Test func anEmptyWindowHasNoValuesAndNoRows() {
        let rows = try? Self.interpret(status: 200, #"{"range": "Leads!A10001:Z20000", "majorDimension": "ROWS"}"#).get()
        #expect(rows == [])
    }

    @Test(arguments: ["<html>OK</html>", #"{"values": "nope"}"#, "[]"])
    func anUnreadableSuccessIsUnavailable(body: String) {
        guard case .failure(.unavailable) = Self.interpret(status: 200, body) else {
            Issue.record("expected unavailable for \(body), got \(Self.interpret(status: 200, body))")
            return
        }
    }

    static func googleError(_ code: Int, _ status: String, _ message: String, reason: String? = nil) -> String {
        let errors = reason.map { #", "errors": [{"message": "…", "domain": "global", "reason": "\#($0)"}]"# } ?? ""
        return #"{"error": {"code": \#(code), "message": "\#(message)"\#(errors), "status": "\#(status)"}}"#
    }

    static let quotaMessage =
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service "
        + "'sheets.googleapis.com' for consumer 'project_number:973891363924'."

    @Test(arguments: [
        (
            429, googleError(429, "RESOURCE_EXHAUSTED", quotaMessage, reason: "rateLimitExceeded"),
            GoogleSheetsError.rateLimited(quotaMessage), false
        ),
        (
            403, googleError(403, "PERMISSION_DENIED", "The caller does not have permission"),
            .notAccessible(status: 403, message: "PERMISSION_DENIED: The caller does not have permission"), true
        ),
        (
            404, googleError(404, "NOT_FOUND", "Requested entity was not found."),
            .notAccessible(status: 404, message: "NOT_FOUND: Requested entity was not found."), true
        ),
        (
            400, googleError(400, "INVALID_ARGUMENT", "Unable to parse range: Nope!A1:Z10000"),
            .badRange("Unable to parse range: Nope!A1:Z10000"), true
        ),
        (
            401, googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
            .unauthorized("Request had invalid authentication credentials."), true
        ),
        (500, googleError(500, "INTERNAL", "Internal error encountered."), .unavailable("HTTP 500: Internal error encountered."), false),
        (
            503, googleError(503, "UNAVAILABLE", "The service is currently unavailable."),
            .unavailable("HTTP 503: The service is currently unavailable."), false
        ),
        (502, "<html><body>Bad Gateway</body></html>", .unavailable("HTTP 502: <html><body>Bad Gateway</body></html>"), false),
    ])
    func anErrorAnswerSaysWhatWentWrong(status: Int, body: String, expected: GoogleSheetsError, isConfigurationProblem: Bool) {
        let result = Self.interpret(status: status, body)
        #expect(result == .failure(expected))
        #expect(expected.isConfigurationProblem == isConfigurationProblem)
    }

    @Test func aForbiddenSheetTellsTheOperatorToShareIt() {
        let error = GoogleSheetsError.notAccessible(status: 403, message: "PERMISSION_DENIED: The caller does not have permission")
        #expect(error.description.contains("share it with the service account's email"))
        #expect(GoogleSheetsError.badRange("Unable to parse range: Nope!A1:Z10000").description.contains("config.ranges"))
    }

    @Test func aLongErrorBodyWithoutJSONIsCutShort() {
        let body = String(repeating: "x", count: 5_000)
        guard case .failure(.unavailable(let message)) = Self.interpret(status: 500, body) else {
            Issue.record("expected unavailable")
            return
        }
        #expect(message == "HTTP 500: " + String(repeating: "x", count: 200))
    }
}
