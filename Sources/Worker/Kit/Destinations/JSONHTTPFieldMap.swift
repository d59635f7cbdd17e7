import Foundation
import Shared

/// Which lead values a JSON-over-HTTP destination receives, under which names: `field_map`
/// (`{"<lead field or extra key>": "<their name>"}`; dotted names nest, `"contact.email"`),
/// else the kind's preset.
enum JSONHTTPFieldMap {
    /// NPA (no public spec): the fields the system LeadRelay replaces sent — full_name, phone,
    /// email, zip_code, vehicle_make, vehicle_model, vehicle_year, channel (`sms`/`voice`);
    /// vehicle fields and channel come from the lead's extra answers.
    static let npaPreset: [String: String] = [
        "full_name": "full_name", "phone": "phone", "email": "email", "postal_code": "zip_code",
        "vehicle_make": "vehicle_make", "vehicle_model": "vehicle_model", "vehicle_year": "vehicle_year", "channel": "channel",
    ]

    /// Generic HTTP: every standard field under its own name (the lead's `extra` object is added
    /// as `extra` unless `include_extra` is false).
    static let httpPreset: [String: String] = Dictionary(
        uniqueKeysWithValues: DeliveryLead.standardFieldNames.filter { $0 != "phone_raw" }.map { ($0, $0) })

    /// The configured map, or the kind's preset.
    static func map(for destination: Destination, config: DestinationConfig) throws(DeliveryBuildError) -> [String: String] {
        if let configured = try config.stringMap("field_map", "fieldMap") { return configured }
        return destination.kind == .npa ? npaPreset : httpPreset
    }
}
