import Foundation

extension AppConfiguration {
    /// `PUBLIC_BASE_URL` without its trailing slashes; nil when unset or empty.
    ///
    /// - Throws: a ``ConfigurationError`` when it is not an `http(s)://host…` URL without a query.
    static func publicBaseURL(_ value: String?) throws(ConfigurationError) -> String? {
        guard var value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        while value.hasSuffix("/") { value.removeLast() }
        let lowered = value.lowercased()
        let scheme = lowered.hasPrefix("https://") ? "https://" : lowered.hasPrefix("http://") ? "http://" : nil
        guard let scheme, value.count > scheme.count, !value.contains("?"), !value.contains("#"), !value.contains(where: \.isWhitespace)
        else {
            throw ConfigurationError(variable: "PUBLIC_BASE_URL", expected: "must look like https://relay.example.com (no query)")
        }
        return value
    }
}
