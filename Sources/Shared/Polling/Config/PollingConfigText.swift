import Foundation

/// Reading text fields of polling configs with field-named errors.
enum PollingConfigText {
    /// `config[key]` as trimmed, non-empty text; nil when absent.
    static func optional(_ config: [String: JSONValue], _ key: String) throws(StoreError) -> String? {
        guard let value = config[key] else { return nil }
        guard case .string(let text) = value, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid(field: "config.\(key)", message: "must be non-empty text")
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `config[key]` as an http(s) base URL without a trailing slash, `fallback` when absent.
    static func baseURL(_ config: [String: JSONValue], _ key: String, default fallback: String) throws(StoreError) -> String {
        guard let text = try optional(config, key) else { return fallback }
        do {
            guard let url = try ConfigurationInput.baseURL(text) else { return fallback }
            return url.hasSuffix("/") ? String(url.dropLast()) : url
        } catch {
            throw StoreError.invalid(field: "config.\(key)", message: "must be an http:// or https:// URL")
        }
    }
}
