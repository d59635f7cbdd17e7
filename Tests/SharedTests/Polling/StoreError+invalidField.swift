import Shared

extension StoreError {
    /// The field an ``StoreError/invalid(field:message:)`` names; nil for the other cases.
    var invalidField: String? {
        guard case .invalid(let field, _) = self else { return nil }
        return field
    }

    /// The message of an ``StoreError/invalid(field:message:)``; nil for the other cases.
    var invalidMessage: String? {
        guard case .invalid(_, let message) = self else { return nil }
        return message
    }
}
