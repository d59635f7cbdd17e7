extension Duration {
    /// The whole milliseconds of this duration, rounded toward zero (as Redis, logs and attempt
    /// rows take them).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}
