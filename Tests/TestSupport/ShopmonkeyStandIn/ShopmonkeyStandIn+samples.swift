import Foundation
import Synchronization

extension ShopmonkeyStandIn {
    /// Adds `count` plausible customers `c-<first>`… (distinct names, emails `…@example.com` and
    /// Israeli mobile numbers), updated one `spacing` apart from `start`; returns them.
    @discardableResult
    public func addSampleCustomers(
        _ count: Int,
        firstNumber: Int = 1,
        updatedFrom start: Date,
        spacing: TimeInterval = 1
    ) -> [ShopmonkeyCustomer] {
        let firstNames = ["Noa", "Yossi", "Maya", "Avi", "Tamar", "Eitan", "Shira", "Omer", "Dana", "Lior"]
        let lastNames = ["Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Azoulay", "Katz"]
        let made = (0..<count).map { offset in
            let number = firstNumber + offset
            let date = start.addingTimeInterval(spacing * TimeInterval(offset))
            return ShopmonkeyCustomer(
                id: "c-\(number)",
                firstName: firstNames[number % firstNames.count],
                lastName: lastNames[number % lastNames.count],
                emails: ["customer\(number)@example.com"],
                phoneNumbers: [String(format: "+97254%07d", number)],
                postalCode: String(format: "6%06d", number % 1_000_000),
                createdDate: date,
                updatedDate: date
            )
        }
        state.withLock { state in
            for customer in made { state.customers[customer.id] = customer }
        }
        return made
    }
}
