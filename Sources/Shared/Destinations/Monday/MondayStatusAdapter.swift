import Foundation

extension DestinationKind {
    /// monday.com: set a status column of the lead's item (write-back to the board).
    public static let mondayStatus = DestinationKind(declaring: "monday_status")
}

/// monday status: sets the status column `column_id` of the lead's item on board `board_id` to
/// `label` through the GraphQL API v2 (``MondayStatusRequest``); the item is the one the lead came
/// from by the monday webhook, the one named by the lead's `extra.<item_id_field>`, or the one
/// found on the board by `lookup_column_id` / `lookup_by` (``MondayItemID``, ``MondayItemLookup``).
/// A lead with none is skipped. Success is `data.change_simple_column_value.id`
/// (the item id becomes the external id); monday's errors arrive with HTTP 200 and are classified by
/// code (``MondayErrorCode``): the complexity budget waits `retry_in_seconds`, an unknown label is
/// permanent.
///
/// ``MondayStatusQuery`` reads an item's current status through the same settings and token (the
/// sequence engine's `only_if: {"crm_status": …}` check).
///
/// Setting a status is idempotent: a retry after a timeout sets the same label again, harmlessly;
/// before it, the item's status is read (``MondayStatusDuplicateCheck``).
struct MondayStatusAdapter: DestinationAdapter {
    /// The name in messages.
    static let name = "Monday status"

    let kind = DestinationKind.mondayStatus
    var displayName: String { Self.name }

    let configFields = [
        DestinationConfigField("board_id", "boardId", required: true, help: "The board's numeric id (in its URL: /boards/1234567890)."),
        DestinationConfigField("column_id", "columnId", required: true, help: "The status column's id (status, color_mkq1abc), not its title."),
        DestinationConfigField(
            "label",
            required: true,
            help: "The label to set, exactly as on the board (Hebrew is fine: נשלחה הודעה); it must exist in the column."
        ),
        DestinationConfigField(
            "item_id_field",
            "itemIdField",
            help: "Take the item id from this field of the lead's extra instead of its external id (leads not from the monday webhook)."
        ),
        DestinationConfigField(
            "lookup_column_id",
            "lookupColumnId",
            help: "Find the item on the board by this column's value (its id: phone, email_1), for leads not from the monday webhook."
        ),
        DestinationConfigField(
            "lookup_by",
            "lookupBy",
            help: "The lead field searched for in lookup_column_id: phone (E.164 as stored), email or extra.<name>."
        ),
        DestinationConfigField("api_version", "apiVersion", help: "The API-Version header; default \(MondayGraphQL.defaultVersion)."),
        DestinationConfigField(
            "api_base_url",
            "apiBaseUrl",
            help: "monday's API base URL (tests and proxies); default \(MondayGraphQL.defaultBaseURL) (the call goes to {base}/v2)."
        ),
    ]

    var exampleConfig: [String: JSONValue] {
        ["board_id": .string("1234567890"), "column_id": .string("status"), "label": .string("נשלחה הודעה")]
    }

    /// `monday:<board_id>`: destinations writing to one board share 5 calls per second (monday
    /// asks that one board's mutations not run concurrently; its budgets are per token, so
    /// destinations sharing a token on several boards may be given one account key), 6 attempts.
    func defaultPolicy(name: String, config: [String: JSONValue]) -> DestinationPolicy {
        let board = (try? DestinationConfig(config, kindName: Self.name).string("board_id", "boardId")) ?? nil
        return DestinationPolicy(
            accountKey: "monday:\(board ?? name)",
            rateLimitRequests: 5,
            rateLimitIntervalMilliseconds: 1_000,
            maxAttempts: 6
        )
    }

    /// The common field checks, then: a numeric board id, a column id, a one-line label, a
    /// search column id with a lead field (not with `item_id_field`), a version like 2025-07 and
    /// an absolute base URL.
    func validate(config: [String: JSONValue]) throws(DeliveryBuildError) {
        try validateFields(config)
        try MondayStatusRequest.validate(DestinationConfig(config, kindName: Self.name))
    }

    func request(for lead: DeliveryLead, to destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        try MondayStatusRequest.build(lead: lead, destination: destination, secret: secret)
    }

    /// The item's status, read before writing again after an attempt that may have written it
    /// (``MondayStatusDuplicateCheck``).
    func duplicateCheck(since: Date, sending request: DeliveryRequest, to destination: Destination, secret: String?) -> DuplicateCheck? {
        MondayStatusDuplicateCheck.build(sending: request, destination: destination, secret: secret)
    }

    /// 2xx without errors, with `data.change_simple_column_value.id` (the item id, the external
    /// id). A 2xx reporting errors is no success: the failure rules and ``MondayErrorCode`` read it.
    func successOutcome(_ answer: DeliveryAnswer, destination: Destination, scrubber: SecretScrubber) -> DeliveryOutcome? {
        guard (200...299).contains(answer.status), !MondayGraphQL.reportsError(answer.json) else { return nil }
        let item = answer.json?.objectMembers?["data"]?.objectMembers?["change_simple_column_value"]?.objectMembers
        guard let id = item?["id"]?.scalarText, !id.isEmpty else {
            return .permanent(
                reason: "monday answered HTTP \(answer.status) without the item's id",
                httpStatus: answer.status,
                errorClass: .unexpectedResponse,
                responseExcerpt: answer.excerpt
            )
        }
        return .succeeded(externalId: id, httpStatus: answer.status, responseExcerpt: answer.excerpt)
    }

    /// monday's error code first (``MondayErrorCode``), then the common HTTP rules.
    func classify(
        _ response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber,
        excerptLimit: Int,
        now: Date
    ) -> DeliveryOutcome {
        classify(response, destination: destination, scrubber: scrubber, excerptLimit: excerptLimit, now: now) { response, common in
            MondayErrorCode.classify(response, common: common, destination: destination, scrubber: scrubber, now: now)
        }
    }
}
