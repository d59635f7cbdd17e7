/// A moving average of the time between consecutive arrivals (an exponentially weighted mean of
/// the gaps, each new gap weighing one eighth), used to tell a busy stream of writes from an idle one.
struct ArrivalGap: Sendable {
    private var last: ContinuousClock.Instant?
    /// The average gap; nil until two arrivals were seen.
    private(set) var average: Duration?

    /// Records an arrival at `instant`.
    mutating func record(_ instant: ContinuousClock.Instant) {
        defer { last = instant }
        guard let last else { return }
        let gap = instant - last
        guard let average else {
            self.average = gap
            return
        }
        self.average = average + (gap - average) / 8
    }
}
