import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle
import Shared

/// Runs the fetch jobs of webhook events whose answers live at the provider: Meta leadgen
/// notifications (Graph API, page token) and monday items (GraphQL, API token). Jobs are leased
/// from PostgreSQL, so any number of workers share them; a failed fetch is retried with backoff
/// for about a day, then the event is marked rejected and can be replayed. A service of the
/// worker's group; it starts once the worker is ready.
struct InboundFetcher: Service {
    let stores: DataStores
    let secretBox: SecretBox
    let httpClient: OutboundHTTPClient
    /// Where the deliveries of fetched leads go.
    let queue: DeliveryQueue
    let startup: WorkerStartup
    let logger: Logger

    static let backoff: [Duration] = [
        .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(1_800),
        .seconds(3_600), .seconds(3_600), .seconds(7_200), .seconds(14_400), .seconds(28_800), .seconds(43_200),
    ]

    func run() async {
        await startup.whenReady {
            await fetchUntilCancelled()
        }
    }

    /// Leases and works due jobs every second until cancelled.
    private func fetchUntilCancelled() async {
        let store = InboundEventStore(client: stores.postgres, logger: logger)
        while !Task.isCancelled {
            do {
                let jobs = try await store.leaseFetchJobs(limit: 20, lease: .seconds(120))
                for job in jobs { await work(job, store: store) }
                if jobs.count == 20 { continue }
            } catch  where !Task.isCancelled {
                logger.debug("cannot lease webhook fetch jobs", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func work(_ event: InboundEvent, store: InboundEventStore) async {
        do {
            guard let sourceId = event.sourceId else { throw FetchError("the event has no source") }
            let sources = SourceStore(client: stores.postgres, logger: logger)
            let source = try await sources.find(sourceId.uuidString, tenantId: nil)
            let secrets = try SourceSecrets.open(try await sources.sealedSecrets(sourceId: sourceId), with: secretBox)
            let tenant = try await TenantStore(client: stores.postgres, logger: logger).find(source.tenantId.uuidString)
            let items = try await fetchItems(event, source: source, secrets: secrets)
            let writer = InboundLeadWriter(logger: logger)
            let result = try await stores.postgres.withTransactionRetryingConflicts(logger: logger) { connection in
                try await writer.write(items, eventId: event.id, source: source, region: tenant.defaultRegion, on: connection)
            }
            // Redis down: the rows are marked pending and the sweeper enqueues them.
            try? await queue.enqueue(result.deliveryIds)
            logger.info(
                "webhook leads fetched",
                metadata: ["event_id": "\(event.id)", "accepted": "\(result.accepted)", "duplicates": "\(result.duplicates)"]
            )
        } catch {
            let attempt = max(1, event.fetchAttempts)
            let giveUp = attempt >= Self.backoff.count
            let message = String("\(error)".prefix(500))
            logger.warning("webhook fetch failed", metadata: ["event_id": "\(event.id)", "attempt": "\(attempt)", "error": "\(message)"])
            try? await store.fetchFailed(event.id, error: message, retryAfter: Self.backoff[min(attempt - 1, Self.backoff.count - 1)], giveUp: giveUp)
        }
    }

    private func fetchItems(_ event: InboundEvent, source: Source, secrets: SourceSecrets) async throws -> [[String: JSONValue]] {
        switch source.preset {
        case .facebook:
            guard let token = secrets.pageToken else {
                throw FetchError("no page_token configured for this source: set it with leadctl source update --secret page_token=…")
            }
            let changes = try MetaLeadgenPayload.changes(body: event.body)
            var items: [[String: JSONValue]] = []
            for change in changes {
                let url = MetaLeadgenPayload.graphURL(
                    baseURL: source.config["graph_base_url"]?.scalarText,
                    leadgenId: change.leadgenId,
                    accessToken: token
                )
                let body = try await get(url, headers: [:])
                items.append(try MetaLeadgenPayload.graphLead(body: body))
            }
            return items
        case .monday:
            guard let token = secrets.apiToken else { throw FetchError("no api_token configured for this source") }
            guard case .createPulse(_, let pulseId, _, _) = try MondayPayload.event(body: event.body) else { return [] }
            let base = source.config["api_base_url"]?.scalarText ?? "https://api.monday.com/v2"
            let body = try await post(base, body: MondayPayload.itemQuery(pulseId: pulseId), headers: ["Authorization": token])
            var fields = try MondayPayload.itemFields(body: body)
            fields["external_id"] = .string("monday:\(pulseId)")
            return [fields]
        default:
            throw FetchError("source preset \(source.preset?.rawValue ?? "none") has nothing to fetch")
        }
    }

    private func get(_ url: String, headers: [String: String]) async throws -> [UInt8] {
        try await send(HTTPClientRequest(url: url), headers: headers)
    }

    private func post(_ url: String, body: [UInt8], headers: [String: String]) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request, headers: headers)
    }

    private func send(_ request: HTTPClientRequest, headers: [String: String]) async throws -> [UInt8] {
        var request = request
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 1024 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw FetchError(
                "HTTP \(response.status.code) from \(request.url.split(separator: "?").first ?? ""): \(String(buffer: body).prefix(300))"
            )
        }
        return Array(body.readableBytesView)
    }

    struct FetchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
