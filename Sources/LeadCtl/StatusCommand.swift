import ArgumentParser
import Foundation
import Redis
import Shared

/// `leadctl status`: the queue at a glance — stream depth, scheduled retries, deliveries by
/// status, the oldest unfinished delivery's age, live workers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Queue depth, retries, failures and live workers.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let snapshot = try await CommandEnvironment.run { environment in
            try await RedisClient.withClient(environment.configuration.redis, logger: environment.logger) { redis in
                let stores = DataStores(
                    postgres: environment.postgres,
                    redis: redis,
                    redisKeys: RedisKeys(prefix: environment.configuration.redisKeyPrefix)
                )
                return try await QueueGauges(stores: stores, logger: environment.logger).snapshot()
            }
        }
        try emit(snapshot, json: options.json) {
            [
                "stream entries:      \(snapshot.streamLength)",
                "scheduled retries:   \(snapshot.scheduledRetries)",
                "deliveries:          "
                    + DeliveryStatus.counted
                    .map { "\($0.rawValue) \(snapshot.deliveriesByStatus[$0.rawValue] ?? 0)" }.joined(separator: ", "),
                "oldest unfinished:   \(Int(snapshot.oldestOpenAgeSeconds)) s",
                "workers alive:       \(snapshot.workersAlive)",
            ]
        }
    }
}
