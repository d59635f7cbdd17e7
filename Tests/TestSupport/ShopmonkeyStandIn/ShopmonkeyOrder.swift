import Foundation
import Shared

/// A Shopmonkey repair order: `id`, `number`, `customerId`, `createdDate`, `updatedDate`.
public struct ShopmonkeyOrder: Sendable, Equatable {
    /// Shopmonkey's id.
    public var id: String
    /// The shop's order number.
    public var number: Int
    /// The customer the order is for.
    public var customerId: String
    /// When the order was created.
    public var createdDate: Date
    /// When the order last changed (what `where.updatedDate` filters on).
    public var updatedDate: Date

    /// An order; `updatedDate` defaults to `createdDate`.
    public init(id: String, number: Int, customerId: String, createdDate: Date = Date(), updatedDate: Date? = nil) {
        self.id = id
        self.number = number
        self.customerId = customerId
        self.createdDate = createdDate
        self.updatedDate = updatedDate ?? createdDate
    }

    /// The record as Shopmonkey sends it.
    public var json: JSONValue {
        .object([
            "id": .string(id), "number": .number(JSONNumber(number)), "customerId": .string(customerId),
            "name": .string("Order #\(number)"), "status": "Estimate",
            "createdDate": .string(ShopmonkeyTimestamp.text(createdDate)),
            "updatedDate": .string(ShopmonkeyTimestamp.text(updatedDate)),
        ])
    }
}
