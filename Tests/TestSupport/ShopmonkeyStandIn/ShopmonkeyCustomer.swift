import Foundation
import Shared

/// A Shopmonkey customer, shaped as the webhook's `data` and the search results: `id`,
/// `firstName`, `lastName`, `emails` `[{email, primary}]`, `phoneNumbers` `[{number, primary}]`,
/// `postalCode`, `createdDate`, `updatedDate`.
public struct ShopmonkeyCustomer: Sendable, Equatable {
    /// Shopmonkey's id.
    public var id: String
    /// First name.
    public var firstName: String?
    /// Last name.
    public var lastName: String?
    /// Email addresses; the first is the primary one.
    public var emails: [String]
    /// Phone numbers; the first is the primary one.
    public var phoneNumbers: [String]
    /// Postal code.
    public var postalCode: String?
    /// When the customer was created.
    public var createdDate: Date
    /// When the customer last changed (what `where.updatedDate` filters on).
    public var updatedDate: Date
    /// More fields for the record (`companyName`, `note`…).
    public var otherFields: [String: JSONValue]

    /// A customer; `updatedDate` defaults to `createdDate`.
    public init(
        id: String,
        firstName: String? = nil,
        lastName: String? = nil,
        emails: [String] = [],
        phoneNumbers: [String] = [],
        postalCode: String? = nil,
        createdDate: Date = Date(),
        updatedDate: Date? = nil,
        otherFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.emails = emails
        self.phoneNumbers = phoneNumbers
        self.postalCode = postalCode
        self.createdDate = createdDate
        self.updatedDate = updatedDate ?? createdDate
        self.otherFields = otherFields
    }

    /// The record as Shopmonkey sends it.
    public var json: JSONValue {
        var fields = otherFields
        fields["id"] = .string(id)
        fields["firstName"] = firstName.map(JSONValue.string) ?? .null
        fields["lastName"] = lastName.map(JSONValue.string) ?? .null
        fields["emails"] = .array(emails.enumerated().map { .object(["email": .string($1), "primary": .bool($0 == 0)]) })
        fields["phoneNumbers"] = .array(phoneNumbers.enumerated().map { .object(["number": .string($1), "primary": .bool($0 == 0)]) })
        fields["postalCode"] = postalCode.map(JSONValue.string) ?? .null
        fields["createdDate"] = .string(ShopmonkeyTimestamp.text(createdDate))
        fields["updatedDate"] = .string(ShopmonkeyTimestamp.text(updatedDate))
        return .object(fields)
    }
}
