/// Result of normalizing one phone number.
public enum PhoneNormalization: Sendable, Hashable {
    /// The number in E.164 form: "+", the country calling code and the national significant
    /// number, digits only (for example "+12015550291"). Extensions are dropped.
    case e164(String)
    /// The input is not a possible phone number. `reason` is a short human-readable explanation
    /// such as "no digits", "too short for US" or "too long"; it is meant for logs and operators,
    /// not for programmatic branching.
    case invalid(reason: String)

    /// The E.164 string when normalization succeeded, otherwise `nil`.
    public var e164Value: String? {
        if case .e164(let value) = self { return value }
        return nil
    }
}
