import Foundation

extension SMTPSession {
    /// The SASL mechanisms LeadRelay speaks, best first.
    static let supportedMechanisms = ["PLAIN", "LOGIN"]

    /// The mechanisms an EHLO reply offers (`AUTH PLAIN LOGIN`, or the old `AUTH=LOGIN`), upper case.
    static func offeredMechanisms(in features: SMTPReply) -> Set<String> {
        var mechanisms: Set<String> = []
        for line in features.lines {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" })
            guard words.first == "AUTH" else { continue }
            mechanisms.formUnion(words.dropFirst().map(String.init))
        }
        return mechanisms
    }

    /// Authenticates with PLAIN when offered, else LOGIN (RFC 4616, draft-murchison-sasl-login).
    /// The password never appears in an error: the commands are shown by name.
    ///
    /// - Throws: ``SMTPError`` (`.authentication`): 535 is `.credentialsRejected`; no usable
    ///   mechanism is `.permanent`.
    mutating func authenticate(username: String, password: String, features: SMTPReply) async throws {
        let offered = Self.offeredMechanisms(in: features)
        guard let mechanism = Self.supportedMechanisms.first(where: offered.contains) else {
            let list = offered.isEmpty ? "no AUTH mechanism" : "AUTH \(offered.sorted().joined(separator: " "))"
            throw SMTPError(
                step: .authentication,
                kind: .permanent,
                "the server offers \(list), but LeadRelay speaks AUTH PLAIN or LOGIN and has credentials to send"
            )
        }
        if mechanism == "PLAIN" {
            let token = Data([0] + Array(username.utf8) + [0] + Array(password.utf8)).base64EncodedString()
            _ = try await command("AUTH PLAIN \(token)", step: .authentication, expect: 235, shown: "AUTH PLAIN")
        } else {
            _ = try await command("AUTH LOGIN", step: .authentication, expect: 334)
            let user = Data(username.utf8).base64EncodedString()
            _ = try await command(user, step: .authentication, expect: 334, shown: "AUTH LOGIN (the user name)")
            let secret = Data(password.utf8).base64EncodedString()
            _ = try await command(secret, step: .authentication, expect: 235, shown: "AUTH LOGIN (the password)")
        }
    }
}
