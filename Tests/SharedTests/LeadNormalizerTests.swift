import Shared
import Testing

@Suite("Lead normalization")
struct LeadNormalizerTests {
    let normalizer = LeadNormalizer(defaultRegion: "US")

    func lead(_ fields: [String: String]) -> Result<NormalizedLead, LeadRejection> {
        normalizer.normalize(LeadInput(object: fields.mapValues { .string($0) }))
    }

    @Test func normalizesEveryField() throws {
        let result = try lead([
            "firstName": "  Ada  ", "Last Name": "King   Lovelace", "E-mail": " Ada@Example.COM ",
            "phone_number": "(201) 555-0291", "zip": "07030", "Which location?": "Hoboken",
        ]).get()
        #expect(result.firstName == "Ada")
        #expect(result.lastName == "King Lovelace")
        #expect(result.email == "Ada@example.com")
        #expect(result.phone == "+12015550291")
        #expect(result.phoneRaw == "(201) 555-0291")
        #expect(result.postalCode == "07030")
        #expect(result.extra["Which location?"] == .string("Hoboken"))
        #expect(result.flags.isEmpty)
        #expect(result.dedupHash.count == 32)
    }

    @Test(arguments: [
        ("Ada Lovelace", "Ada", "Lovelace"),
        ("Mary  Ann   Evans", "Mary Ann", "Evans"),
        ("Cher", "Cher", nil as String?),
    ])
    func splitsAFullNameWhenNoPartsAreGiven(full: String, first: String, last: String?) throws {
        let result = try lead(["full_name": full, "email": "x@example.com"]).get()
        #expect(result.firstName == first)
        #expect(result.lastName == last)
    }

    @Test func keepsAnUnnormalizablePhoneRawAndFlagsIt() throws {
        let result = try lead(["phone": "call me maybe 12", "first_name": "Bo"]).get()
        #expect(result.phone == nil)
        #expect(result.phoneRaw == "call me maybe 12")
        #expect(result.flags == ["phone_invalid"])
        #expect(result.warnings.map(\.field) == ["phone"])
    }

    @Test func rejectsALeadWithNoWayToReachThePerson() {
        #expect(throws: LeadRejection(errors: [FieldIssue(field: "email", message: "a lead needs an email or a phone number")])) {
            try lead(["first_name": "Nobody"]).get()
        }
    }

    @Test func rejectsAnInvalidEmailWhenItIsTheOnlyContact() {
        #expect(throws: LeadRejection(errors: [FieldIssue(field: "email", message: "is not a valid email address")])) {
            try lead(["email": "not-an-email"]).get()
        }
    }

    @Test func keepsAnInvalidEmailAsExtraWhenThereIsAPhone() throws {
        let result = try lead(["email": "bob@", "phone": "2015550291"]).get()
        #expect(result.email == nil)
        #expect(result.extra["email_raw"] == .string("bob@"))
        #expect(result.flags == ["email_invalid"])
    }

    @Test(arguments: [
        ("a@b.co", "a@b.co"), ("Jo.Ann+tag@Sub.Example.ORG", "Jo.Ann+tag@sub.example.org"), ("mailto:x@y.io", "x@y.io"),
    ])
    func acceptsValidEmails(raw: String, expected: String) {
        #expect(EmailNormalizer.normalize(raw) == expected)
    }

    @Test(arguments: ["", "plain", "a@b", "a@@b.com", "a b@c.com", ".a@b.com", "a..b@c.com", "a@-b.com", "a@b.c", "a@b.123"])
    func rejectsInvalidEmails(raw: String) {
        #expect(EmailNormalizer.normalize(raw) == nil)
    }

    @Test func dedupHashIgnoresCaseAndFormattingButNotIdentity() throws {
        let a = try lead(["first_name": "Ada", "email": "ADA@example.com", "phone": "201-555-0291"]).get()
        let b = try lead(["first_name": "ada", "email": "ada@EXAMPLE.com", "phone": "+1 (201) 555 0291"]).get()
        let c = try lead(["first_name": "Ada", "email": "ada@example.com", "phone": "201-555-0292"]).get()
        #expect(a.dedupHash == b.dedupHash)
        #expect(a.dedupHash != c.dedupHash)
    }

    @Test func externalIdIsTheStrongerDedupKey() throws {
        let a = try lead(["id": "l:123", "email": "one@example.com"]).get()
        let b = try lead(["id": "l:123", "email": "other@example.com"]).get()
        #expect(a.externalId == "l:123")
        #expect(a.dedupHash == b.dedupHash)
    }

    @Test func rejectsOverlongFieldsWithTheFieldName() {
        let long = String(repeating: "x", count: LeadNormalizer.maximumNameLength + 1)
        #expect(throws: LeadRejection(errors: [FieldIssue(field: "first_name", message: "is longer than 200 characters")])) {
            try lead(["first_name": long, "email": "a@b.co"]).get()
        }
    }
}
