import Foundation

/// A source's credentials, sealed together in `sources.secrets_ciphertext` and never shown:
/// signing secrets for webhook signatures, Meta's verify token, app secret and page token, a
/// monday or Shopmonkey API token, a Twilio auth token, a Google service-account key.
public struct SourceSecrets: Sendable, Hashable, Codable {
    /// HMAC secret of generic/Zapier signatures, monday's app signing secret, Shopmonkey's `whsec_…`.
    public var signingSecret: String?
    /// Meta: the token the subscription's GET verification must present.
    public var verifyToken: String?
    /// Meta: the app secret `X-Hub-Signature-256` is computed with.
    public var appSecret: String?
    /// Meta: the page access token for Graph API lead fetches.
    public var pageToken: String?
    /// monday: the API token for item GraphQL queries.
    public var apiToken: String?
    /// Twilio: the account's auth token `X-Twilio-Signature` is computed with.
    public var authToken: String?
    /// Google Sheets sources: the service account's JSON key (``GoogleServiceAccountKey``).
    public var serviceAccount: String?

    /// The names `leadctl source … --secret NAME=VALUE` accepts.
    public static let names = ["signing_secret", "verify_token", "app_secret", "page_token", "api_token", "auth_token", "service_account"]

    enum CodingKeys: String, CodingKey {
        case signingSecret = "signing_secret"
        case verifyToken = "verify_token"
        case appSecret = "app_secret"
        case pageToken = "page_token"
        case apiToken = "api_token"
        case authToken = "auth_token"
        case serviceAccount = "service_account"
    }

    /// No secrets.
    public init() {}

    /// Sets `name` (one of ``names``) to `value`; an empty value clears it.
    public mutating func set(_ name: String, _ value: String) throws(StoreError) {
        let value: String? = value.isEmpty ? nil : value
        switch name {
        case "signing_secret": signingSecret = value
        case "verify_token": verifyToken = value
        case "app_secret": appSecret = value
        case "page_token": pageToken = value
        case "api_token": apiToken = value
        case "auth_token": authToken = value
        case "service_account":
            if let value {
                do {
                    _ = try GoogleServiceAccountKey(json: value)
                } catch {
                    throw StoreError.invalid(field: "service_account", message: "\(error) (paste the whole JSON key file Google gave you)")
                }
            }
            serviceAccount = value
        default: throw StoreError.invalid(field: "secret", message: "unknown secret '\(name)'; use one of \(Self.names.joined(separator: ", "))")
        }
    }

    /// These secrets without the ones that verify signatures (for replays of verified events).
    public var withoutSigningKeys: SourceSecrets {
        var copy = self
        copy.signingSecret = nil
        copy.appSecret = nil
        copy.authToken = nil
        return copy
    }

    /// Sealed with `box` for storage.
    public func sealed(with box: SecretBox) throws -> [UInt8] {
        try box.seal(String(decoding: try JSONEncoder().encode(self), as: UTF8.self))
    }

    /// Opens a sealed value; nil input gives no secrets.
    public static func open(_ sealed: [UInt8]?, with box: SecretBox) throws -> SourceSecrets {
        guard let sealed else { return SourceSecrets() }
        return try JSONDecoder().decode(SourceSecrets.self, from: Data(try box.open(sealed).utf8))
    }
}
