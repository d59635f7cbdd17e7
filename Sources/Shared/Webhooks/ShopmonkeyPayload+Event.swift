extension ShopmonkeyPayload {
    /// What a Shopmonkey webhook carries.
    public enum Event: Sendable, Hashable {
        /// A `customer` INSERT as a flat lead object: `first_name`, `last_name`, `email` (primary or
        /// first), `phone` (primary or first), `postal_code`, `external_id` = `"shopmonkey:" + data.id`,
        /// plus the other scalar fields of `data` under their own keys.
        case customer([String: JSONValue])
        /// Any other table/operation, described for the record, e.g. `"order UPDATE"`.
        case ignored(String)
    }
}
