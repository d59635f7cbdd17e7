import Foundation
import Synchronization

extension SMTPStandIn {
    /// AUTH PLAIN (the token on the command line) or AUTH LOGIN (user name and password each on its
    /// own line after a 334), when offered; a scripted `.authentication` reply replaces the 235.
    func authenticate(
        _ line: String,
        session: inout Session,
        lines: inout LineSplitter,
        reply: (String) async throws -> Void
    ) async throws {
        let words = line.split(separator: " ").map(String.init)
        let mechanism = words.count > 1 ? words[1].uppercased() : ""
        guard authMechanisms.contains(mechanism), !(isStartTLSOnly && !session.overTLS) else {
            try await reply("504 5.5.4 Unrecognized authentication type")
            return
        }
        var credentials: (user: String, password: String)?
        if mechanism == "PLAIN" {
            let parts = words.count > 2 ? Self.decoded(words[2]).split(separator: 0, omittingEmptySubsequences: false) : []
            if parts.count == 3 { credentials = (String(decoding: parts[1], as: UTF8.self), String(decoding: parts[2], as: UTF8.self)) }
        } else {
            try await reply("334 VXNlcm5hbWU6")  // "Username:"
            let user = try await lines.next() ?? ""
            try await reply("334 UGFzc3dvcmQ6")  // "Password:"
            let password = try await lines.next() ?? ""
            state.withLock { $0.commands += [user, password] }
            credentials = (String(decoding: Self.decoded(user), as: UTF8.self), String(decoding: Self.decoded(password), as: UTF8.self))
        }
        guard let credentials else {
            try await reply("501 5.5.2 Cannot decode AUTH \(mechanism)")
            return
        }
        if let scripted = scriptedReplies[.authentication] {
            try await reply(scripted)
            return
        }
        session.auth = (credentials.user, credentials.password, mechanism)
        try await reply("235 2.7.0 Authentication successful")
    }

    /// Whether AUTH is only offered after STARTTLS.
    var isStartTLSOnly: Bool {
        if case .starttls = tls { return true }
        return false
    }

    static func decoded(_ base64: String) -> [UInt8] {
        Array(Data(base64Encoded: base64) ?? Data())
    }
}
