import Foundation
import Synchronization

/// A local stand-in for a CRM's HTTP API: records every request exactly as received and answers
/// from a script (queued answers first, then the default answer). With a GoHighLevel validator
/// it checks each request against the OpenAPI spec and, like the real API, answers 422 with the
/// violations. Start one with ``withRunning(validator:_:)``.
public final class CRMStandIn: Sendable {
    /// The script, the record and the port.
    struct State {
        var port = 0
        var queued: [StandInAnswer] = []
        var defaultAnswer = StandInAnswer.ok()
        var responder: (@Sendable (RecordedRequest) -> StandInAnswer?)?
        var requests: [RecordedRequest] = []
        var released = false
    }

    /// Shared between the server's handlers and the test.
    let state = Mutex(State())
    /// Checks requests against GoHighLevel's spec when set.
    public let validator: GHLOpenAPIValidator?

    /// A stand-in that is not listening yet.
    init(validator: GHLOpenAPIValidator?) {
        self.validator = validator
    }

    /// The port the stand-in listens on (127.0.0.1).
    public var port: Int { state.withLock { $0.port } }

    /// `http://127.0.0.1:<port>`: use it as a destination's base URL override.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Queues answers for the next requests, in order; once used up, the default answer applies.
    public func enqueue(_ answers: StandInAnswer...) {
        state.withLock { $0.queued.append(contentsOf: answers) }
    }

    /// The answer for requests when nothing is queued (initially 200 `{}`).
    public func setDefault(_ answer: StandInAnswer) {
        state.withLock { $0.defaultAnswer = answer }
    }

    /// Answers requests by their content (e.g. a GraphQL read vs a write) before any queued
    /// answer; nil from `responder` falls through to the queue and the default.
    public func respond(_ responder: @escaping @Sendable (RecordedRequest) -> StandInAnswer?) {
        state.withLock { $0.responder = responder }
    }

    /// Every request received so far, oldest first.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Forgets the recorded requests and the queued answers.
    public func reset() {
        state.withLock {
            $0.requests = []
            $0.queued = []
        }
    }

    /// Records `request` (with the validator's findings) and picks its answer.
    func receive(_ request: RecordedRequest) -> StandInAnswer {
        var request = request
        if let validator { request.violations = validator.validate(request) }
        let recorded = request
        return state.withLock { state in
            state.requests.append(recorded)
            let scripted =
                state.responder?(recorded) ?? (state.queued.isEmpty ? state.defaultAnswer : state.queued.removeFirst())
            if !recorded.violations.isEmpty { return .unprocessable(recorded.violations) }
            return scripted
        }
    }

    /// Records the port the server listens on.
    func started(port: Int) {
        state.withLock { $0.port = port }
    }

    /// Lets hanging answers go (called when the stand-in stops).
    func releaseHangs() {
        state.withLock { $0.released = true }
    }

    /// Whether hanging answers may go.
    var isReleased: Bool { state.withLock { $0.released } }
}
