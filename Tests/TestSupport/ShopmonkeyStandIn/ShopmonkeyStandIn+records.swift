import Foundation
import Synchronization

/// The shop's records, added and changed by tests between (or during) polls.
extension ShopmonkeyStandIn {
    /// Adds `customer`, or replaces the customer with its id.
    public func addCustomer(_ customer: ShopmonkeyCustomer) {
        state.withLock { $0.customers[customer.id] = customer }
    }

    /// Changes customer `id` with `change` and sets its `updatedDate` to `date`; false when there is none.
    @discardableResult
    public func updateCustomer(_ id: String, at date: Date = Date(), _ change: (inout ShopmonkeyCustomer) -> Void = { _ in }) -> Bool {
        update(\.customers, id, at: date, change)
    }

    /// Removes customer `id`.
    public func removeCustomer(_ id: String) {
        state.withLock { _ = $0.customers.removeValue(forKey: id) }
    }

    /// The customer with `id`.
    public func customer(_ id: String) -> ShopmonkeyCustomer? {
        state.withLock { $0.customers[id] }
    }

    /// All customers, oldest `updatedDate` first.
    public var customers: [ShopmonkeyCustomer] {
        state.withLock { Self.oldestFirst($0.customers) }
    }

    /// Adds `order`, or replaces the order with its id.
    public func addOrder(_ order: ShopmonkeyOrder) {
        state.withLock { $0.orders[order.id] = order }
    }

    /// Changes order `id` with `change` and sets its `updatedDate` to `date`; false when there is none.
    @discardableResult
    public func updateOrder(_ id: String, at date: Date = Date(), _ change: (inout ShopmonkeyOrder) -> Void = { _ in }) -> Bool {
        update(\.orders, id, at: date, change)
    }

    /// All orders, oldest `updatedDate` first.
    public var orders: [ShopmonkeyOrder] {
        state.withLock { Self.oldestFirst($0.orders) }
    }

    /// Changes record `id` in `records` with `change` and sets its `updatedDate` to `date`.
    private func update<Record: ShopmonkeyRecord>(
        _ records: WritableKeyPath<State, [String: Record]>,
        _ id: String,
        at date: Date,
        _ change: (inout Record) -> Void
    ) -> Bool {
        state.withLock { state in
            guard var record = state[keyPath: records][id] else { return false }
            change(&record)
            record.updatedDate = date
            state[keyPath: records][id] = record
            return true
        }
    }

    /// `records` by `updatedDate`, then id.
    private static func oldestFirst<Record: ShopmonkeyRecord>(_ records: [String: Record]) -> [Record] {
        records.values.sorted { ($0.updatedDate, $0.id) < ($1.updatedDate, $1.id) }
    }
}

/// What the stand-in's helpers need of a customer or an order.
protocol ShopmonkeyRecord {
    /// Shopmonkey's id.
    var id: String { get }
    /// When the record last changed.
    var updatedDate: Date { get set }
}

extension ShopmonkeyCustomer: ShopmonkeyRecord {}
extension ShopmonkeyOrder: ShopmonkeyRecord {}
