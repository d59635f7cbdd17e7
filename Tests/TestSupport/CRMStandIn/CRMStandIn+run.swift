import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

extension CRMStandIn {
    /// Runs a stand-in on 127.0.0.1 (a free port) for the duration of `body`, then stops it
    /// (hanging answers are released first).
    public static func withRunning<T: Sendable>(
        validator: GHLOpenAPIValidator? = nil,
        _ body: (CRMStandIn) async throws -> T
    ) async throws -> T {
        let standIn = CRMStandIn(validator: validator)
        var logger = Logger(label: "crm-stand-in")
        logger.logLevel = .error
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in try await standIn.respond(to: request) },
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "crm-stand-in"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                try await group.next()
                throw StandInError(description: "the CRM stand-in did not start")
            }
            standIn.started(port: port)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(standIn))
            } catch {
                result = .failure(error)
            }
            standIn.releaseHangs()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// Records `request` and answers it as scripted.
    func respond(to request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 16 * 1_024 * 1_024)
        let recorded = RecordedRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            headers: request.headers.map { ($0.name.rawName, $0.value) },
            body: Array(bytes.readableBytesView)
        )
        let answer = receive(recorded)
        if let delay = answer.delay { try await Task.sleep(for: delay) }
        if answer.hangs {
            while !isReleased && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        }
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
        )
    }
}

/// The stand-in could not run.
public struct StandInError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
}
