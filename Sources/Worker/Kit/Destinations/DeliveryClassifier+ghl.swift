import Foundation
import Shared

extension DeliveryClassifier {
    /// GoHighLevel's answers that mean delivered: any 2xx (id in `contact.id`), and 400
    /// "This location does not allow duplicated contacts." with `meta.contactId` (the existing
    /// contact). nil for everything else.
    static func ghlSuccess(status: Int, json: JSONValue?, excerpt: String?) -> DeliveryOutcome? {
        if (200...299).contains(status) {
            let id = json.flatMap { JSONPath.value(in: $0, at: "contact.id")?.scalarText ?? JSONPath.value(in: $0, at: "id")?.scalarText }
            return .succeeded(externalId: id, httpStatus: status, responseExcerpt: excerpt)
        }
        if status == 400, let json, let message = message(in: json),
           message.lowercased().contains("does not allow duplicated contact"),
           let id = JSONPath.value(in: json, at: "meta.contactId")?.scalarText, !id.isEmpty {
            return .succeeded(externalId: id, httpStatus: status, responseExcerpt: excerpt)
        }
        return nil
    }
}
