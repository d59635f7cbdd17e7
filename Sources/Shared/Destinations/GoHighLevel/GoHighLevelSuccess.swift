/// GoHighLevel's answers that mean delivered, for both APIs: any 2xx (id in `contact.id`), and
/// 400 "This location does not allow duplicated contacts." with `meta.contactId` (the existing
/// contact).
enum GoHighLevelSuccess {
    /// The success outcome of `answer`; nil for everything else.
    static func outcome(_ answer: DeliveryAnswer) -> DeliveryOutcome? {
        let status = answer.status
        if (200...299).contains(status) {
            let id = answer.json.flatMap {
                JSONPath.value(in: $0, at: "contact.id")?.scalarText ?? JSONPath.value(in: $0, at: "id")?.scalarText
            }
            return .succeeded(externalId: id, httpStatus: status, responseExcerpt: answer.excerpt)
        }
        if status == 400, let json = answer.json, let message = DeliveryClassifier.message(in: json),
            message.lowercased().contains("does not allow duplicated contact"),
            let id = JSONPath.value(in: json, at: "meta.contactId")?.scalarText, !id.isEmpty
        {
            return .succeeded(externalId: id, httpStatus: status, responseExcerpt: answer.excerpt)
        }
        return nil
    }
}
