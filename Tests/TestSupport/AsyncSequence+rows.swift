extension AsyncSequence {
    /// Every element, in order (for the few rows a test reads back).
    public func rows() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
