extension DestinationKind {
    /// NPA's lead endpoint (JSON over HTTP with NPA's field names).
    public static let npa = DestinationKind(declaring: "npa")
}

extension JSONHTTPStyle {
    /// NPA (no public spec): a JSON-over-HTTP destination sending the fields the system LeadRelay
    /// replaces sent — full_name, phone, email, zip_code, vehicle_make, vehicle_model,
    /// vehicle_year, channel (`sms`/`voice`); vehicle fields and channel come from the lead's
    /// extra answers.
    static let npa = JSONHTTPStyle(
        kind: .npa,
        displayName: "NPA",
        presetFieldMap: [
            "full_name": "full_name", "phone": "phone", "email": "email", "postal_code": "zip_code",
            "vehicle_make": "vehicle_make", "vehicle_model": "vehicle_model", "vehicle_year": "vehicle_year", "channel": "channel",
        ],
        sendsExtra: false,
        sendsIdempotencyKey: false
    )
}
