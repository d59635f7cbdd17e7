import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client stops sending in the middle of a request body.
///
/// Hummingbird's idle timeout covers connections between requests and inside a half-sent head;
/// this covers the body: while a request's body is being read and the server has asked the
/// socket for more (so server-side backpressure — a slow database write during a CSV import —
/// never counts against the client), no byte for `timeout` closes the connection. A client that
/// keeps sending, however slowly, is served.
final class RequestBodyReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private var readingBody = false
    /// When the server last asked for data it has not received yet.
    private var waitingSince: NIODeadline?
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waitingSince = nil
        switch unwrapInboundIn(data) {
        case .head: readingBody = true
        case .body: break
        case .end: readingBody = false
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if readingBody, waitingSince == nil {
            waitingSince = .now()
            schedule(context, at: .now() + timeout)
        }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard check == nil else { return }
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            check = nil
            guard readingBody, let since = waitingSince else { return }
            let due = since + timeout
            if NIODeadline.now() >= due {
                context.close(promise: nil)
            } else {
                schedule(context, at: due)
            }
        }
    }
}
