import ArgumentParser
import Shared

extension CommandEnvironment {
    /// Fails with the reason when `destination`'s URLs lead to a private network it is not allowed
    /// to reach (the worker would refuse every delivery): `--allow-private-network` allows them.
    func refusePrivateTargets(of destination: Destination) async throws {
        let checker = OutboundTargetChecker(policy: configuration.outboundPolicy)
        for (field, url) in destination.configuredURLs {
            if let refusal = await checker.refusal(for: url, allowPrivateNetwork: destination.allowPrivateNetwork) {
                throw ValidationError("\(field): \(refusal)")
            }
        }
    }
}
