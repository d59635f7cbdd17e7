import Crypto

/// The key that makes a lead a duplicate within its source.
///
/// With an external id (Meta lead id, Shopmonkey id) that id alone decides. Otherwise it is the
/// rule the Momence integration used: lower-cased email, first and last name, and phone (E.164, or
/// the raw digits when the phone could not be normalized), joined by a separator no field contains.
public enum LeadDedupHash {
    /// SHA-256 of the identifying fields.
    public static func compute(externalId: String?, email: String?, firstName: String?, lastName: String?, phone: String?) -> [UInt8] {
        var hasher = SHA256()
        if let externalId {
            hasher.update(data: Array("ext\u{1F}".utf8))
            hasher.update(data: Array(externalId.utf8))
        } else {
            let parts = [email?.lowercased(), firstName?.lowercased(), lastName?.lowercased(), phone]
            hasher.update(data: Array("v1\u{1F}".utf8))
            for part in parts {
                hasher.update(data: Array((part ?? "").utf8))
                hasher.update(data: [0x1F])
            }
        }
        return Array(hasher.finalize())
    }
}
