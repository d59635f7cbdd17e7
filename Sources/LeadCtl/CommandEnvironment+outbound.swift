import Shared

extension CommandEnvironment {
    /// A destination URL that leads to a private network the destination may not reach.
    struct PrivateTargetRefused: Error, CustomStringConvertible {
        var field: String
        var reason: String
        var description: String { "\(field): \(reason); --allow-private-network allows it" }
    }

    /// Fails with the reason when `destination`'s URLs lead to a private network it is not allowed
    /// to reach (the worker would refuse every delivery): `--allow-private-network` allows them.
    func refusePrivateTargets(of destination: Destination) async throws {
        if let (field, reason) = await OutboundTargetChecker(policy: configuration.outboundPolicy).refusals(of: destination).first {
            throw PrivateTargetRefused(field: field, reason: "\(reason)")
        }
    }
}
