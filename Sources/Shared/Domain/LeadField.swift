/// The lead fields LeadRelay understands by name; everything else is kept in `extra`.
public enum LeadField: String, Sendable, CaseIterable, Hashable {
    case firstName = "first_name"
    case lastName = "last_name"
    case fullName = "full_name"
    case email
    case phone
    case postalCode = "postal_code"
    case notes
    case externalId = "external_id"

    /// The field a key names, matched case- and punctuation-insensitively against the canonical
    /// snake_case names and their common aliases (`firstName`, `First Name`, `E-mail`,
    /// `phone_number`, `zip`, `zipCode`, …); nil for keys that belong in `extra`.
    public init?(alias key: some StringProtocol) {
        guard let field = Self.aliases[Self.aliasKey(key)] else { return nil }
        self = field
    }

    /// `key` lower-cased with everything but letters and digits removed (`"E-mail"` → `"email"`).
    public static func aliasKey(_ key: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars where scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
            result.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
        }
        return result
    }

    private static let aliases: [String: LeadField] = {
        let table: [LeadField: [String]] = [
            .firstName: ["firstname", "first", "fname", "givenname", "forename", "vorname", "prenom", "nombre"],
            .lastName: ["lastname", "last", "lname", "surname", "familyname", "nachname", "apellido", "apellidos"],
            .fullName: ["fullname", "name", "contactname", "customername", "yourname", "leadname"],
            .email: ["email", "emailaddress", "mail", "emailaddr", "youremail", "correo"],
            .phone: [
                "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
                "cellnumber", "telephone", "tel", "telefon", "telefono", "contactnumber", "yourphone",
            ],
            .postalCode: ["postalcode", "postcode", "zip", "zipcode", "zippostalcode", "plz", "codigopostal"],
            .notes: ["notes", "note", "comments", "comment", "message", "description"],
            .externalId: ["externalid", "id", "leadid", "leadgenid"],
        ]
        var aliases: [String: LeadField] = [:]
        for (field, keys) in table {
            for key in keys { aliases[key] = field }
        }
        return aliases
    }()
}
