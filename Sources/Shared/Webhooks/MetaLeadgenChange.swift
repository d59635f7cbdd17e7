/// One `leadgen` change of a Meta Lead Ads notification: which lead to fetch from the Graph API.
/// The notification carries no answers; ``MetaLeadgenPayload/graphURL(baseURL:leadgenId:accessToken:)``
/// fetches them.
public struct MetaLeadgenChange: Sendable, Hashable {
    /// Meta's lead id (`leadgen_id`): the Graph API object to fetch and the dedup key.
    public var leadgenId: String
    /// The page (`page_id`, or the entry's `id` when the change has none).
    public var pageId: String?
    /// The lead form (`form_id`).
    public var formId: String?
    /// The ad (`ad_id`).
    public var adId: String?
    /// When the lead was submitted (`created_time`, unix seconds).
    public var createdTime: Int?

    /// Creates a change.
    public init(leadgenId: String, pageId: String? = nil, formId: String? = nil, adId: String? = nil, createdTime: Int? = nil) {
        self.leadgenId = leadgenId
        self.pageId = pageId
        self.formId = formId
        self.adId = adId
        self.createdTime = createdTime
    }
}
