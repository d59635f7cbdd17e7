import Foundation
import Shared

/// The overview's chart: accepted leads per day, stacked by source, as inline SVG rendered on
/// the server (no script, no external assets). Every label is escaped.
struct LeadsChart: Sendable {
    /// Series colours, repeated when there are more sources; the last slot groups the rest.
    static let palette = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7d8c", "#6e7781"]
    /// Sources beyond this are summed as "Other sources".
    static let maximumSeries = 6

    let series: [DashboardOverview.SourceSeries]
    let days: Int
    /// The first day shown (for axis labels).
    let firstDay: Date

    /// The SVG markup.
    func svg() -> String {
        let shown = grouped()
        let width = 720.0
        let height = 240.0
        let left = 40.0
        let bottom = 28.0
        let top = 10.0
        let plotWidth = width - left - 10
        let plotHeight = height - bottom - top
        var totals = Array(repeating: 0, count: days)
        for item in shown { for (day, count) in item.counts.enumerated() where day < days { totals[day] += count } }
        let peak = max(1, totals.max() ?? 1)
        let scaleTop = max(4, Self.niceCeiling(peak))
        let slot = plotWidth / Double(max(days, 1))
        let barWidth = max(2, slot * 0.7)
        var out = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Leads per source per day" xmlns="http://www.w3.org/2000/svg">
            """
        for step in 0...4 {
            let value = scaleTop * step / 4
            let y = top + plotHeight - plotHeight * Double(value) / Double(scaleTop)
            out += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(Self.f(y))\" y2=\"\(Self.f(y))\" class=\"grid\"/>"
            out += "<text x=\"\(left - 4)\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\" class=\"axis\">\(value)</text>"
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "MMM d"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let labelEvery = max(1, days / 7)
        for day in 0..<days {
            let x = left + slot * Double(day) + (slot - barWidth) / 2
            var y = top + plotHeight
            for (index, item) in shown.enumerated() {
                let count = day < item.counts.count ? item.counts[day] : 0
                guard count > 0 else { continue }
                let h = plotHeight * Double(count) / Double(scaleTop)
                y -= h
                out +=
                    "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" width=\"\(Self.f(barWidth))\" height=\"\(Self.f(h))\" fill=\"\(Self.palette[index % Self.palette.count])\">"
                out += "<title>\(HTMLText.escape(item.sourceName)): \(count)</title></rect>"
            }
            if day % labelEvery == 0 || day == days - 1 {
                let date = firstDay.addingTimeInterval(Double(day) * 86_400)
                out +=
                    "<text x=\"\(Self.f(x + barWidth / 2))\" y=\"\(Self.f(height - 8))\" text-anchor=\"middle\" class=\"axis\">\(formatter.string(from: date))</text>"
            }
        }
        out += "</svg>"
        return out
    }

    /// The legend entries: name, colour and total.
    func legend() -> [(name: String, color: String, total: Int)] {
        grouped().enumerated().map { index, item in
            (item.sourceName, Self.palette[index % Self.palette.count], item.counts.reduce(0, +))
        }
    }

    private func grouped() -> [DashboardOverview.SourceSeries] {
        guard series.count > Self.maximumSeries else { return series }
        var head = Array(series.prefix(Self.maximumSeries - 1))
        var other = Array(repeating: 0, count: days)
        for item in series.dropFirst(Self.maximumSeries - 1) {
            for (day, count) in item.counts.enumerated() where day < days { other[day] += count }
        }
        head.append(.init(sourceName: "Other sources", counts: other))
        return head
    }

    /// 1, 2, 5 × 10^n at or above `value`.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor in [1, 2, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return value
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
