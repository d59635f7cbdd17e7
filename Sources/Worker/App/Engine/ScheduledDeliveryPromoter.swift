import Logging
import ServiceLifecycle
import Shared

/// Moves scheduled deliveries (retries, deliveries meant for a later time) to the stream once
/// due: ``DeliveryQueue/promoteDue(now:)`` every ``DeliveryEngineTuning/promoteEvery``. Every worker runs one; the move is
/// atomic, so they never promote a delivery twice.
struct ScheduledDeliveryPromoter: Service {
    let queue: DeliveryQueue
    let startup: WorkerStartup
    let every: Duration
    let logger: Logger

    func run() async {
        await startup.whenReady {
            while !Task.isCancelled {
                do {
                    try await queue.promoteDue()
                } catch {
                    logger.debug("could not promote due deliveries", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: every)
            }
        }
    }
}
