import NIOPosix

/// Passwords for `leadctl user … `: read from standard input (`--password-stdin`) on a NIO thread
/// pool, never on Swift's cooperative pool, or generated.
public enum PasswordInput {
    /// The first line of standard input, without its line break (empty at end of input).
    public static func readStandardInput(threadPool: NIOThreadPool = .singleton) async throws -> String {
        try await threadPool.runIfActive { readLine(strippingNewline: true) ?? "" }
    }

    /// A random password of 24 URL-safe characters, comfortably above ``PasswordHasher/minimumLength``.
    public static func generate() -> String { RandomToken.make(length: 24) }
}
