import Foundation

extension SourceSecrets {
    /// These secrets with `assignments` applied (an empty value clears that secret).
    public func applying(_ assignments: [(name: String, value: String)]) throws(StoreError) -> SourceSecrets {
        var result = self
        for assignment in assignments { try result.set(assignment.name, assignment.value) }
        return result
    }

    /// The names (``names``) that hold a value; the values themselves are never shown.
    public var namesSet: Set<String> {
        let values: [(String, String?)] = [
            ("signing_secret", signingSecret), ("verify_token", verifyToken), ("app_secret", appSecret),
            ("page_token", pageToken), ("api_token", apiToken), ("auth_token", authToken),
            ("service_account", serviceAccount),
        ]
        return Set(values.compactMap { $0.1 == nil ? nil : $0.0 })
    }
}

extension SourceStore {
    /// The secrets of `sourceId` (none for a new source) with `assignments` applied, sealed with
    /// `box` for ``create(tenantId:name:kind:preset:config:fieldMap:sealedSecrets:destinationIds:)``
    /// or ``update(_:sealedSecrets:)``; nil when there is nothing to change.
    public func resealedSecrets(sourceId: UUID?, applying assignments: [(name: String, value: String)], box: SecretBox) async throws -> [UInt8]? {
        guard !assignments.isEmpty else { return nil }
        var sealed: [UInt8]?
        if let sourceId { sealed = try await sealedSecrets(sourceId: sourceId) }
        let current = try SourceSecrets.open(sealed, with: box)
        return try current.applying(assignments).sealed(with: box)
    }
}
