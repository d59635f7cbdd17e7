import Foundation
import Synchronization
import _CryptoExtras

/// Google on loopback for sheet polling: the OAuth token endpoint (`POST /token`, a
/// ``GoogleTokenEndpoint``) and the Sheets API's `GET /v4/spreadsheets/{id}/values/{range}`
/// over spreadsheets the test fills and edits while pollers read them.
///
/// Reads answer a `ValueRange` for the requested window as Google does — trailing empty cells of
/// each row and trailing empty rows omitted, `values` absent when nothing is left — and need a
/// Bearer token the token endpoint issued and has not expired (else 401 `UNAUTHENTICATED`). Modes:
/// 429 for the next reads, 403/404 per spreadsheet; an unknown tab is 400 `INVALID_ARGUMENT`.
/// Start one with ``withRunning(trustedKey:expiresIn:_:)``; all state is thread-safe.
public final class GoogleSheetsStandIn: Sendable {
    /// Who may read a spreadsheet.
    public enum Access: Sendable {
        /// Shared with the service account: reads answer.
        case granted
        /// Not shared with the service account: 403 `PERMISSION_DENIED`.
        case permissionDenied
        /// As if the id were wrong: 404 `NOT_FOUND`.
        case notFound
    }

    /// One tab: its name and cells (`""` is an empty cell; rows may be shorter than others).
    struct Tab {
        var name: String
        var rows: [[String]]
    }

    /// The spreadsheets, modes and the record of reads.
    struct State {
        var spreadsheets: [String: [Tab]] = [:]
        var access: [String: Access] = [:]
        var rateLimitedReads = 0
        var reads: [SheetsRead] = []
    }

    /// The spreadsheet id helpers use when none is given.
    public static let defaultSpreadsheetId = "test-spreadsheet"

    /// The token endpoint whose tokens reads must carry.
    public let tokenEndpoint: GoogleTokenEndpoint
    /// The loopback server both endpoints run on (its raw request record included).
    public let server: CRMStandIn
    let state = Mutex(State())

    /// A stand-in answering on `server` (install ``answer(_:)`` as its responder) and accepting
    /// the tokens `tokenEndpoint` issues.
    public init(server: CRMStandIn, tokenEndpoint: GoogleTokenEndpoint) {
        self.server = server
        self.tokenEndpoint = tokenEndpoint
    }

    /// The Sheets API base URL (`sheets_base_url` in a sheet source's config).
    public var baseURL: String { server.baseURL }

    /// The token URL (`token_url` in a sheet source's config, and the JWT's `aud`).
    public var tokenURL: String { server.baseURL + "/token" }

    /// A service-account key file (JSON text) for ``GoogleTestKey/rsaKey`` whose `token_uri` is ``tokenURL``.
    public var serviceAccountJSON: String { GoogleTestKey.json(GoogleTestKey.fields(tokenURI: tokenURL)) }

    /// Every read of the values endpoint so far, oldest first (refused ones included).
    public var reads: [SheetsRead] { state.withLock { $0.reads } }

    /// Reads of `spreadsheetId` so far.
    public func readCount(of spreadsheetId: String = defaultSpreadsheetId) -> Int {
        state.withLock { $0.reads.filter { $0.spreadsheetId == spreadsheetId }.count }
    }

    /// Forgets the recorded reads.
    public func forgetReads() {
        state.withLock { $0.reads = [] }
    }

    /// Runs a stand-in on 127.0.0.1 for the duration of `body`; its token endpoint trusts
    /// `trustedKey` and issues tokens lasting `expiresIn` seconds.
    public static func withRunning<T: Sendable>(
        trustedKey: _RSA.Signing.PublicKey = GoogleTestKey.rsaKey.publicKey,
        expiresIn: Int = 3_599,
        _ body: (GoogleSheetsStandIn) async throws -> T
    ) async throws -> T {
        try await CRMStandIn.withRunning { server in
            let tokenEndpoint = GoogleTokenEndpoint(audience: server.baseURL + "/token", trustedKey: trustedKey, expiresIn: expiresIn)
            let standIn = GoogleSheetsStandIn(server: server, tokenEndpoint: tokenEndpoint)
            server.respond { standIn.answer($0) }
            return try await body(standIn)
        }
    }

    /// The answer to `request`: the token endpoint for `POST /token`, a values read for
    /// `/v4/spreadsheets/…`, 404 for anything else.
    public func answer(_ request: RecordedRequest) -> StandInAnswer {
        if request.path == "/token" { return tokenEndpoint.answer(request) }
        let prefix = "/v4/spreadsheets/"
        guard request.method == "GET", request.path.hasPrefix(prefix),
            let split = request.path.range(
                of: "/values/",
                range: request.path.index(request.path.startIndex, offsetBy: prefix.count)..<request.path.endIndex
            )
        else { return .googleNotFound }
        let spreadsheetId = String(request.path[request.path.index(request.path.startIndex, offsetBy: prefix.count)..<split.lowerBound])
        let rawRange = String(request.path[split.upperBound...])
        let range = rawRange.removingPercentEncoding ?? rawRange
        let answer = read(spreadsheetId: spreadsheetId, range: range, authorization: request.header("Authorization"))
        let read = SheetsRead(
            spreadsheetId: spreadsheetId,
            range: range,
            path: request.path,
            query: request.query,
            status: answer.status,
            receivedAt: request.receivedAt
        )
        state.withLock { $0.reads.append(read) }
        return answer
    }

    /// The answer to a read of `range` in `spreadsheetId`: checks in Google's order (credentials,
    /// quota, access, range), then the window.
    func read(spreadsheetId: String, range: String, authorization: String?) -> StandInAnswer {
        let bearer = "Bearer "
        guard let authorization, authorization.hasPrefix(bearer), tokenEndpoint.isValid(String(authorization.dropFirst(bearer.count)))
        else { return .googleUnauthenticated }
        return state.withLock { state in
            if state.rateLimitedReads > 0 {
                state.rateLimitedReads -= 1
                return .googleQuotaExceeded
            }
            guard let tabs = state.spreadsheets[spreadsheetId] else { return .googleNotFound }
            switch state.access[spreadsheetId] ?? .granted {
            case .permissionDenied: return .googlePermissionDenied
            case .notFound: return .googleNotFound
            case .granted: break
            }
            guard let parsed = SheetsA1Range(parsing: range),
                let tab = parsed.tab == nil ? tabs.first : tabs.first(where: { $0.name == parsed.tab })
            else { return .googleInvalidArgument("Unable to parse range: \(range)") }
            return Self.valueRange(of: tab, in: parsed)
        }
    }
}
