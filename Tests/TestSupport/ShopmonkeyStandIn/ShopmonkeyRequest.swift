import Foundation
import Shared

/// One request a ``ShopmonkeyStandIn`` received.
public struct ShopmonkeyRequest: Sendable {
    /// `GET`, `POST`.
    public var method: String
    /// The path under the base URL (`/customer/search`).
    public var path: String
    /// The JSON body, when there was one.
    public var body: JSONValue?
    /// The HTTP status answered.
    public var status: Int
    /// When the request arrived.
    public var receivedAt: Date
}
