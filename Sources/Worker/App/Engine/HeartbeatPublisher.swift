import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Publishes this worker's liveness and load (``WorkerHeartbeats``) every 5 s (it expires 15 s
/// after the last one) and removes it when the worker stops. It stops after the engine, so the
/// last heartbeat still counts the deliveries being finished.
struct HeartbeatPublisher: Service {
    let workerId: String
    let stores: DataStores
    let slots: DeliverySlots
    let startup: WorkerStartup
    let logger: Logger

    func run() async {
        await startup.whenReady {
            let heartbeats = WorkerHeartbeats(stores: stores)
            let started = Date()
            while !Task.isCancelled {
                let status = WorkerHeartbeats.Status(workerId: workerId, startedAt: started, inFlight: slots.busy, concurrency: slots.capacity)
                do {
                    try await heartbeats.beat(status)
                } catch {
                    logger.debug("heartbeat not written", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        try? await WorkerHeartbeats(stores: stores).stop(workerId: workerId)
    }
}
