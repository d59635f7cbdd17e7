import Foundation

/// Reads a monday item's current status label through a `monday_status` destination's settings
/// and token (reference §5.2): the hook the sequence engine calls for a step's
/// `only_if: {"crm_status": LABEL}` immediately before the step sends. Pure: it builds the request
/// and reads the answer; the caller sends it (``DestinationClient``) and compares the label byte
/// for byte.
///
/// ```
/// query ($item: ID!, $column: String!) { items(ids: [$item]) { id column_values(ids: [$column]) { id text } } }
/// ```
///
/// `text` is the label for a status column (and for a multi-level board's battery value too).
public enum MondayStatusQuery {
    /// The query; the item and the destination's `column_id` come from `variables`.
    static let query = "query ($item: ID!, $column: String!) { items(ids: [$item]) { id column_values(ids: [$column]) { id text } } }"

    /// What reading the status found.
    public enum Reading: Sendable, Hashable {
        /// The item's current label; nil when the column is empty.
        case label(String?)
        /// The read failed: why, as a delivery outcome (retryable — the budget, a 5xx — or
        /// permanent — the item is gone, the column does not exist, the token was refused).
        case failed(DeliveryOutcome)
    }

    /// The request reading the status column of item `itemId` (digits) on `destination`, with
    /// `secret` (its API token).
    ///
    /// - Throws: ``DeliveryBuildError``: not a `monday_status` destination, no credential, a bad
    ///   base URL, or an item id that is not digits.
    public static func request(itemId: String, destination: Destination, secret: String?) throws(DeliveryBuildError) -> DeliveryRequest {
        guard destination.kind == .mondayStatus else {
            throw .configuration("a CRM status is read through a monday_status destination, not \(destination.kind.rawValue)")
        }
        guard MondayItemID.isItemID(itemId) else { throw .invalidLead("\(itemId.prefix(40)) is not a Monday item id") }
        let column = try DestinationConfig(destination, kindName: MondayStatusAdapter.name).requiredString("column_id", "columnId")
        return try MondayGraphQL.request(
            query: query,
            variables: ["item": .string(itemId), "column": .string(column)],
            destination: destination,
            secret: secret
        )
    }

    /// The request reading the status of `lead`'s item (found as the destination's deliveries
    /// find it, ``MondayItemID``): with `lookup_column_id`, the board search, the read its
    /// follow-up (``MondayItemLookup``).
    ///
    /// - Throws: ``DeliveryBuildError``, `noAddress` when the lead has no monday item.
    public static func request(
        for lead: DeliveryLead,
        destination: Destination,
        secret: String?
    ) throws(DeliveryBuildError)
        -> DeliveryRequest
    {
        guard destination.kind == .mondayStatus else {
            throw .configuration("a CRM status is read through a monday_status destination, not \(destination.kind.rawValue)")
        }
        return try MondayItemID.request(for: lead, destination: destination, secret: secret) { itemId throws(DeliveryBuildError) in
            try request(itemId: itemId, destination: destination, secret: secret)
        }
    }

    /// The item id in monday's answer to ``request(itemId:destination:secret:)``; nil when it
    /// names none.
    static func itemId(in response: DeliveryResponse) -> String? {
        guard case .array(let items)? = DeliveryClassifier.parseJSON(response.body)?.objectMembers?["data"]?.objectMembers?["items"],
            let id = items.first?.objectMembers?["id"]?.scalarText, MondayItemID.isItemID(id)
        else { return nil }
        return id
    }

    /// The label in monday's answer to ``request(itemId:destination:secret:)``. Errors are
    /// classified as a delivery's would be (``MondayErrorCode``): a spent complexity budget is a
    /// retryable failure with monday's `retry_in_seconds`.
    public static func label(
        in response: DeliveryResponse,
        destination: Destination,
        scrubber: SecretScrubber = SecretScrubber(secret: nil),
        now: Date = Date()
    ) -> Reading {
        let json = DeliveryClassifier.parseJSON(response.body)
        let excerpt = ResponseExcerpt.make(response.body, truncated: response.bodyTruncated, scrubber: scrubber)
        guard (200...299).contains(response.status), !MondayGraphQL.reportsError(json) else {
            let adapter = MondayStatusAdapter()
            let outcome = adapter.classify(
                response,
                destination: destination,
                scrubber: scrubber,
                excerptLimit: ResponseExcerpt.defaultLimit,
                now: now
            )
            return .failed(outcome)
        }
        func fail(_ errorClass: DeliveryErrorClass, _ reason: String) -> Reading {
            .failed(.permanent(reason: reason, httpStatus: response.status, errorClass: errorClass, responseExcerpt: excerpt))
        }
        guard case .array(let items)? = json?.objectMembers?["data"]?.objectMembers?["items"] else {
            return fail(.unexpectedResponse, "monday answered HTTP \(response.status) without data.items")
        }
        guard let item = items.first?.objectMembers else {
            return fail(.invalidLead, "monday has no such item (deleted, or the token cannot see its board)")
        }
        guard case .array(let columns)? = item["column_values"], let column = columns.first?.objectMembers else {
            let id = ((try? DestinationConfig(destination, kindName: MondayStatusAdapter.name).string("column_id", "columnId")) ?? nil) ?? "?"
            return fail(.configuration, "the monday item has no column \(id)")
        }
        guard let text = column["text"]?.scalarText, !text.isEmpty else { return .label(nil) }
        return .label(text)
    }
}
