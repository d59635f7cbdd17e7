import NIOCore
import NIOTLS

/// Completes a promise when the TLS handler before it in the pipeline finishes its handshake, or
/// fails it with the handshake's error (or when the connection closes first). STARTTLS waits on
/// it before the next command, so a refused certificate is reported as such rather than as a
/// write to a closed channel.
final class TLSHandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private var done = false

    /// A watcher completing `promise`.
    init(completing promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { finish(nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    private func finish(_ error: (any Error)?) {
        guard !done else { return }
        done = true
        if let error { promise.fail(error) } else { promise.succeed() }
    }
}
