import Foundation

/// Meta Lead Ads: the `leadgen` webhook notification and the Graph API lead it points to.
public enum MetaLeadgenPayload {
    /// The Graph API base URL used when a source configures none.
    public static let defaultGraphBaseURL = "https://graph.facebook.com/v21.0"

    /// Every `leadgen` change of every entry, in order; changes of other fields are ignored (so a
    /// notification without leadgen changes gives an empty list).
    ///
    /// - Throws: 400 for an empty or malformed body; 422 when it is not an object, `object` is not
    ///   `"page"`, `entry` is missing or empty, or a leadgen change has no `leadgen_id`.
    public static func changes(body: [UInt8]) throws(WebhookRejection) -> [MetaLeadgenChange] {
        let root = try WebhookJSON.object(body)
        guard let object = root["object"]?.webhookString else {
            throw .rejected(422, #"no "object" field; expected "page""#)
        }
        guard object == "page" else { throw .rejected(422, #"object is "\#(object)", expected "page""#) }
        guard let entries = root["entry"]?.webhookArray, !entries.isEmpty else {
            throw .rejected(422, "the notification has no entry")
        }
        var changes: [MetaLeadgenChange] = []
        for (entryIndex, entryValue) in entries.enumerated() {
            guard let entry = entryValue.webhookObject else {
                throw .rejected(422, "entry \(entryIndex) is \(WebhookJSON.kind(of: entryValue)), expected an object")
            }
            let entryID = entry["id"]?.webhookText
            for (changeIndex, changeValue) in (entry["changes"]?.webhookArray ?? []).enumerated() {
                guard let change = changeValue.webhookObject, change["field"]?.webhookString == "leadgen" else { continue }
                guard let value = change["value"]?.webhookObject, let leadgenID = value["leadgen_id"]?.webhookText else {
                    throw .rejected(422, "entry \(entryIndex) change \(changeIndex): a leadgen change without leadgen_id")
                }
                changes.append(
                    MetaLeadgenChange(
                        leadgenId: leadgenID,
                        pageId: value["page_id"]?.webhookText ?? entryID,
                        formId: value["form_id"]?.webhookText,
                        adId: value["ad_id"]?.webhookText,
                        createdTime: value["created_time"]?.webhookInt64.map { Int($0) }
                    )
                )
            }
        }
        return changes
    }

    /// The Graph API URL of one lead:
    /// `<base>/<leadgen id>?fields=id,created_time,ad_id,form_id,field_data&access_token=<token>`,
    /// the token percent-encoded. `baseURL` nil or blank means ``defaultGraphBaseURL``; trailing
    /// slashes are dropped.
    public static func graphURL(baseURL: String?, leadgenId: String, accessToken: String) -> String {
        var base = baseURL?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if base.isEmpty { base = defaultGraphBaseURL }
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(percentEncoded(leadgenId))?fields=id,created_time,ad_id,form_id,field_data"
            + "&access_token=\(percentEncoded(accessToken))"
    }

    /// A Graph API lead answer as a flat object: each `field_data` name → its values (one value as
    /// is, several joined with `", "`, none skipped), plus `id` (Meta's lead id, which the aliases
    /// map to `external_id`), `created_time`, `ad_id` and `form_id` as received; those four win over
    /// a form question of the same name.
    ///
    /// - Throws: 502 `rejected` for an empty or malformed answer, a Graph `error` object, or an
    ///   answer without `id` or `field_data`.
    public static func graphLead(body: [UInt8]) throws(WebhookRejection) -> [String: JSONValue] {
        let root = try WebhookJSON.object(body, status: 502, what: "Graph API answer")
        if let error = root["error"] {
            let message = error.webhookObject?["message"]?.webhookText ?? error.webhookText ?? "unknown error"
            let code = error.webhookObject?["code"]?.webhookText.map { " \($0)" } ?? ""
            throw .rejected(502, "Graph API error\(code): \(message)")
        }
        guard let id = root["id"], id.webhookText != nil else { throw .rejected(502, "the Graph API answer has no lead id") }
        guard let fieldData = root["field_data"]?.webhookArray else {
            throw .rejected(502, "the Graph API answer has no field_data")
        }
        var fields: [String: JSONValue] = [:]
        for (index, item) in fieldData.enumerated() {
            guard let entry = item.webhookObject, let name = entry["name"]?.webhookText else {
                throw .rejected(502, "field_data item \(index) has no name")
            }
            let values: [String]
            switch entry["values"] {
            case .array(let array)?: values = array.compactMap(\.scalarText)
            case let scalar?: values = scalar.scalarText.map { [$0] } ?? []
            case nil: values = []
            }
            if !values.isEmpty { fields[name] = .string(values.joined(separator: ", ")) }
        }
        for key in ["id", "created_time", "ad_id", "form_id"] {
            if let value = root[key], value != .null { fields[key] = value }
        }
        return fields
    }

    /// RFC 3986 unreserved characters; everything else in a path segment or query value is escaped.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
