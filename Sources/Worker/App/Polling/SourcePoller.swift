import Foundation
import Logging
import ServiceLifecycle
import Shared
import Synchronization

/// Polls the sources nobody pushes leads from (Google Sheets, Shopmonkey). Every worker runs
/// one; a PostgreSQL lease per source (``SourcePollLeases``) makes each source polled by one
/// worker at a time however many replicas run, and a crashed worker's sources are taken over
/// once its leases run out. A service of the worker's group; it starts once the worker is ready.
/// On SIGTERM it stops taking sources; a poll under way stops after its current batch (which
/// commits) and hands its source back for the next worker to go on.
struct SourcePoller: Service {
    let stores: DataStores
    let secretBox: SecretBox
    let httpClient: OutboundHTTPClient
    let queue: DeliveryQueue
    let startup: WorkerStartup
    let workerId: String
    let tuning: DeliveryEngineTuning
    let logger: Logger
    let tokens = GoogleTokenCache()

    func run() async {
        // Waiting for the start ends with a graceful shutdown (a failed start ends the worker).
        guard (try? await cancelWhenGracefulShutdown({ await startup.waitUntilReady() })) == true else { return }
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await pollUntilStopped(stopping)
        } onGracefulShutdown: {
            stopping.raise()
        }
    }

    private func pollUntilStopped(_ stopping: StopFlag) async {
        let leases = SourcePollLeases(postgres: stores.postgres, workerId: workerId, logger: logger, duration: tuning.pollLease)
        let running = RunningCount()
        await withDiscardingTaskGroup { group in
            while !stopping.isRaised && !Task.isCancelled {
                let room = tuning.concurrentPolls - running.value
                if room > 0 {
                    do {
                        for lease in try await leases.claimDue(limit: room) {
                            running.add(1)
                            group.addTask {
                                await poll(lease, leases: leases, stopping: stopping)
                                running.add(-1)
                            }
                        }
                    } catch {
                        logger.debug("cannot claim due polls", metadata: ["error": "\(error)"])
                    }
                }
                try? await Task.sleep(for: tuning.pollCheckEvery)
            }
        }
    }

    /// One poll of the source `lease` holds, its outcome recorded whatever happens.
    func poll(_ lease: SourcePollLease, leases: SourcePollLeases, stopping: StopFlag) async {
        var record = PollRunRecord(startedAt: lease.startedAt)
        var cursor = lease.cursor
        var delay: Duration = .seconds(60)
        var pollLogger = logger
        pollLogger[metadataKey: "source_id"] = "\(lease.sourceId)"
        do {
            let sources = SourceStore(client: stores.postgres, logger: logger)
            let source = try await sources.find(lease.sourceId.uuidString, tenantId: nil)
            let secrets = try SourceSecrets.open(try await sources.sealedSecrets(sourceId: source.id), with: secretBox)
            let tenant = try await TenantStore(client: stores.postgres, logger: logger).find(source.tenantId.uuidString)
            guard let polled = try PolledSource(source) else {
                record.fail("the source no longer polls", showAsState: false)
                try await leases.finish(lease, run: record, cursor: cursor, delay: .seconds(3_600))
                return
            }
            delay = .seconds(polled.pollInterval)
            let renew: @Sendable () async throws -> Bool = {
                guard !stopping.isRaised else { return false }
                return try await leases.renew(lease.sourceId)
            }
            let writer = PolledLeadWriter(postgres: stores.postgres, queue: queue, logger: pollLogger)
            switch polled {
            case .sheet(let config):
                guard let keyText = secrets.serviceAccount else {
                    record.fail(
                        "no service_account secret: paste the service account's JSON key (--secret service_account=@key.json)",
                        showAsState: true
                    )
                    break
                }
                let key = try GoogleServiceAccountKey(json: keyText)
                let provider = await tokens.provider(for: key, tokenURL: config.tokenURL, httpClient: httpClient)
                let client = GoogleSheetsClient(
                    tokens: provider,
                    httpClient: httpClient,
                    baseURL: config.sheetsBaseURL,
                    spreadsheetId: config.spreadsheetId
                )
                let limiter = SheetsReadQuota(redis: stores.redis, keys: stores.redisKeys, account: key.clientEmail)
                let sheet = SheetPoll(
                    source: source,
                    config: config,
                    client: client,
                    writer: writer,
                    region: tenant.defaultRegion,
                    beforeRead: { try await limiter.acquire() },
                    renewLease: renew,
                    logger: pollLogger
                )
                cursor = try await sheet.run(lease, record: &record)
            case .shopmonkey(let config):
                guard let token = secrets.apiToken else {
                    record.fail("no api_token secret: set the Shopmonkey API key with --secret api_token=…", showAsState: true)
                    break
                }
                let client = ShopmonkeyClient(httpClient: httpClient, baseURL: config.apiBaseURL, apiToken: token)
                let shopmonkey = ShopmonkeyPoll(
                    source: source,
                    config: config,
                    client: client,
                    writer: writer,
                    region: tenant.defaultRegion,
                    renewLease: renew,
                    now: tuning.clock,
                    logger: pollLogger
                )
                cursor = try await shopmonkey.run(lease, record: &record)
                if record.outcome == .partial { delay = .seconds(5) }
            }
        } catch let stop as PollStop {
            delay = handle(stop, lease: lease, interval: delay, record: &record)
        } catch {
            record.fail("\(error)", showAsState: false)
            delay = Self.backoff(failures: lease.failures, interval: delay)
        }
        if record.outcome == .error {
            pollLogger.warning("poll failed", metadata: ["error": "\(record.error ?? "")"])
        } else if record.accepted + record.rejected + record.changed > 0 {
            pollLogger.info(
                "polled",
                metadata: [
                    "accepted": "\(record.accepted)", "duplicates": "\(record.duplicates)", "rejected": "\(record.rejected)",
                    "changed": "\(record.changed)",
                ]
            )
        }
        do {
            try await leases.finish(lease, run: record, cursor: cursor, delay: delay)
        } catch {
            pollLogger.warning("cannot record the poll; its lease runs out and the source is polled again", metadata: ["error": "\(error)"])
        }
    }

    /// Records why a poll stopped; returns the delay until the next one.
    private func handle(_ stop: PollStop, lease: SourcePollLease, interval: Duration, record: inout PollRunRecord) -> Duration {
        switch stop {
        case .leaseLost:
            record.outcome = .partial
            record.notes.append("stopped: the worker is shutting down or lost the lease; the next poll goes on")
            return .zero
        case .throttled(let after):
            record.outcome = .partial
            record.notes.append("\(stop)")
            return after
        case .sheets(let error):
            record.fail("\(error)", showAsState: error.isConfigurationProblem)
            return error.isConfigurationProblem ? max(interval, .seconds(60)) : Self.backoff(failures: lease.failures, interval: interval)
        case .shopmonkey(let error):
            switch error {
            case .unauthorized:
                record.fail("\(error)", showAsState: true)
                return max(interval, .seconds(60))
            case .rateLimited(let after):
                record.fail("\(error)", showAsState: false)
                return after ?? Self.backoff(failures: lease.failures, interval: interval)
            case .refused:
                record.fail("\(error)", showAsState: true)
                return max(interval, .seconds(60))
            case .unavailable:
                record.fail("\(error)", showAsState: false)
                return Self.backoff(failures: lease.failures, interval: interval)
            }
        }
    }

    /// The wait after the `failures + 1`-th failed poll in a row: the interval doubled each
    /// time, at least 30 s, at most 15 minutes.
    static func backoff(failures: Int, interval: Duration) -> Duration {
        let seconds = Double(interval.components.seconds) * pow(2, Double(min(failures, 10)))
        return .seconds(Int(min(900, max(30, seconds))))
    }
}

/// Set once the worker is told to shut down.
final class StopFlag: Sendable {
    private let raised = Mutex(false)

    /// Whether ``raise()`` was called.
    var isRaised: Bool { raised.withLock { $0 } }

    /// Tells the polls to stop after their current batch.
    func raise() { raised.withLock { $0 = true } }
}

/// Polls under way in this worker.
final class RunningCount: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func add(_ delta: Int) { count.withLock { $0 += delta } }
}
