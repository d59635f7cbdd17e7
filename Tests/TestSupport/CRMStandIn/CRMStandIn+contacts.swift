import Foundation

/// GoHighLevel's answers to contact lookups, for reconciliation tests: queue them on a
/// ``CRMStandIn`` in the order the lookups are made.
extension StandInAnswer {
    /// v2 `GET /contacts/{id}` or v1 `GET /v1/contacts/{id}` for an existing contact: 200 `{"contact": {…}}`.
    public static func ghlContact(id: String, email: String? = nil) -> Self {
        let emailField = email.map { #","email":"\#($0)""# } ?? ""
        return .json(200, #"{"contact":{"id":"\#(id)","locationId":"loc"\#(emailField)}}"#)
    }

    /// `GET /contacts/{id}` for a contact that does not exist: 400 "Contact not found" (what GoHighLevel sends).
    public static let ghlContactNotFound = StandInAnswer.json(400, #"{"statusCode":400,"message":"Contact not found"}"#)

    /// v2 `GET /contacts/search/duplicate` that found a contact: 200 `{"contact": {…}, "traceId": …}`.
    public static func ghlDuplicateSearch(found id: String) -> Self {
        .json(200, #"{"contact":{"id":"\#(id)","locationId":"loc"},"traceId":"trace-1"}"#)
    }

    /// v2 `GET /contacts/search/duplicate` that found nothing: 200 `{"contact": null}`.
    public static let ghlDuplicateSearchEmpty = StandInAnswer.json(200, #"{"contact":null,"traceId":"trace-1"}"#)

    /// v1 `GET /v1/contacts/lookup`: 200 `{"contacts": [...]}` with the given ids (none: not found).
    public static func ghlV1Lookup(found ids: [String]) -> Self {
        .json(200, #"{"contacts":[\#(ids.map { #"{"id":"\#($0)"}"# }.joined(separator: ","))]}"#)
    }
}
