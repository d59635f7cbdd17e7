/// Comparison of secrets (tokens, signatures) whose time does not depend on where they differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` are equal, looking at every byte whatever the first difference.
    public static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
