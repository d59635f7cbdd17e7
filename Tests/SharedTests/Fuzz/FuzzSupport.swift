import Foundation
import Testing

/// The parent of every fuzz suite: its tests run one at a time, so fuzzing never occupies more
/// than one core while the rest of the test suite runs (timing-sensitive Redis, SMTP and HTTP
/// tests share the machine).
@Suite("Fuzz", .serialized)
struct FuzzSuites {}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator. Every fuzz case has
/// its own seed, so a failure names the one seed that reproduces it.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A value in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    /// One element of `elements` (not empty).
    mutating func pick<C: Collection>(_ elements: C) -> C.Element where C.Index == Int {
        elements[elements.startIndex + below(elements.count)]
    }

    /// A length that is usually short and sometimes long: small sizes find most bugs, long ones
    /// reach limits and chunk boundaries.
    mutating func length(max: Int) -> Int {
        switch below(8) {
        case 0..<5: below(min(max, 16) + 1)
        case 5, 6: below(min(max, 256) + 1)
        default: below(max + 1)
        }
    }

    /// `count` bytes, uniformly random.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// How many cases a fuzz test runs and from which seed.
///
/// `FUZZ_SEED=<n>` replaces every test's base seed (to explore further, or to reproduce a
/// printed one with `FUZZ_CASES=1`); `FUZZ_SCALE=<k>` multiplies the case counts (e.g. 20 for a
/// long local run). Defaults keep each test to a few seconds in a debug build.
enum Fuzz {
    /// The base seed: `FUZZ_SEED` or the test's own constant.
    static func baseSeed(_ fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? fallback
    }

    /// The number of cases: `count × FUZZ_SCALE`, or `FUZZ_CASES` when set.
    static func cases(_ count: Int) -> Int {
        let environment = ProcessInfo.processInfo.environment
        if let exact = environment["FUZZ_CASES"].flatMap({ Int($0) }) { return max(1, exact) }
        let scale = environment["FUZZ_SCALE"].flatMap { Double($0) } ?? 1
        return max(1, Int(Double(count) * scale))
    }

    /// The seed of case `index` of a test whose base seed is `base`.
    static func seed(base: UInt64, index: Int) -> UInt64 {
        var mixer = SplitMix64(seed: base &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        return mixer.next()
    }

    /// Runs `count` cases, each with a generator seeded by ``seed(base:index:)``. `body` returns a
    /// problem description or nil; the first `maxFailures` problems are recorded as issues that
    /// name the seed (`FUZZ_SEED=<seed> FUZZ_CASES=1` replays exactly that case). Returns the
    /// number of cases run, for the figures in docs/hostile-input.md.
    ///
    /// It yields every few milliseconds: the tests run on Swift's cooperative pool (as many
    /// threads as cores), and a long CPU-bound loop there would starve the other suites' tasks
    /// (timeouts in the Redis and HTTP tests).
    @discardableResult
    static func run(
        _ name: String,
        seed fallback: UInt64,
        cases count: Int,
        maxFailures: Int = 3,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (inout SplitMix64) throws -> String?
    ) async rethrows -> Int {
        let base = baseSeed(fallback)
        let total = cases(count)
        let replaying = ProcessInfo.processInfo.environment["FUZZ_CASES"] == "1" && ProcessInfo.processInfo.environment["FUZZ_SEED"] != nil
        var failures = 0
        let started = ContinuousClock.now
        var lastYield = started
        for index in 0..<total {
            if ContinuousClock.now - lastYield > .milliseconds(5) {
                await Task.yield()
                lastYield = .now
            }
            // Replaying: the printed seed is the case's own seed, not a base.
            let caseSeed = replaying ? base : seed(base: base, index: index)
            var generator = SplitMix64(seed: caseSeed)
            if let problem = try body(&generator) {
                failures += 1
                Issue.record(
                    "\(name): case \(index) failed (replay: FUZZ_SEED=\(caseSeed) FUZZ_CASES=1): \(problem)",
                    sourceLocation: sourceLocation
                )
                if failures >= maxFailures { break }
            }
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        print("fuzz \(name): \(total) cases, base seed \(base), \(milliseconds) ms")
        return total
    }
}

extension Array where Element == UInt8 {
    /// Cut into chunks at random points (possibly empty chunks), for "same result whatever the
    /// chunking" oracles.
    func randomChunks(_ generator: inout SplitMix64) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        let style = generator.below(4)
        while start < count {
            let size: Int
            switch style {
            case 0: size = 1
            case 1: size = generator.within(0...3)
            case 2: size = generator.within(1...17)
            default: size = generator.within(0...Swift.max(1, count / 3))
            }
            let end = Swift.min(count, start + size)
            chunks.append(self[start..<end])
            start = end
        }
        if chunks.isEmpty || generator.chance(1, in: 4) { chunks.append([]) }
        return chunks
    }
}

/// Byte-level mutations of a valid input (AFL-style): flips, inserts of interesting bytes,
/// deletions, duplicated and truncated runs.
enum ByteMutator {
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x27, 0x2C, 0x3A, 0x3B, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F,
        0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF,
    ]

    static func mutate(_ input: [UInt8], _ generator: inout SplitMix64, rounds: Int? = nil) -> [UInt8] {
        var bytes = input
        for _ in 0..<(rounds ?? generator.within(1...8)) {
            switch generator.below(7) {
            case 0 where !bytes.isEmpty:
                bytes[generator.below(bytes.count)] ^= UInt8(1 << generator.below(8))
            case 1:
                bytes.insert(generator.pick(interesting), at: generator.below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                let start = generator.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + generator.within(1...8)))
            case 3 where !bytes.isEmpty:
                let start = generator.below(bytes.count)
                let run = bytes[start..<min(bytes.count, start + generator.within(1...32))]
                bytes.insert(contentsOf: run, at: generator.below(bytes.count + 1))
            case 4 where !bytes.isEmpty:
                bytes.removeSubrange(generator.below(bytes.count)...)
            case 5 where !bytes.isEmpty:
                bytes[generator.below(bytes.count)] = generator.pick(interesting)
            default:
                bytes.insert(contentsOf: generator.bytes(generator.within(1...4)), at: generator.below(bytes.count + 1))
            }
        }
        return bytes
    }
}

/// Text generation for parsers that take Strings.
enum FuzzText {
    /// Scalars that tend to break text handling: controls, combining marks, RTL, zero-width,
    /// surrogate-adjacent, non-ASCII digits and plus signs, emoji, the replacement character.
    static let nastyScalars: [Unicode.Scalar] = [
        "\u{0}", "\u{1}", "\u{9}", "\u{A}", "\u{D}", "\u{7F}", "\u{85}", "\u{A0}", "\u{AD}", "\u{300}", "\u{200B}",
        "\u{200E}", "\u{202E}", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{D7FF}", "\u{E000}", "\u{10FFFF}",
        "\u{1F600}", "\u{1F1FA}", "\u{1F1F8}", "\u{FF0B}", "\u{FF10}", "\u{FF19}", "\u{0660}", "\u{0669}", "\u{06F5}",
        "\u{0966}", "\u{1D7CE}", "\u{1D7FF}", "\u{2212}", "\u{2013}", "\u{3000}", "\u{FF08}", "\u{FF09}", "\u{0130}",
        "\u{0131}", "\u{00DF}", "\u{FB01}", "\u{1E9E}", "+", "-", "(", ")", ".", "/", "#", "*", ";", ",", ":", "x", "X",
        "e", "t", "l", "p", "\"", "'", "\\", "<", ">", "&", "%", "=", "@",
    ]

    /// A random string mixing ASCII, nasty scalars and random valid scalars.
    static func string(_ generator: inout SplitMix64, maxLength: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<generator.length(max: maxLength) {
            scalars.append(scalar(&generator))
        }
        return String(scalars)
    }

    static func scalar(_ generator: inout SplitMix64) -> Unicode.Scalar {
        switch generator.below(10) {
        case 0..<4:
            return Unicode.Scalar(UInt8(generator.within(0x20...0x7E)))
        case 4..<6:
            return Unicode.Scalar(UInt8(generator.within(0x30...0x39)))
        case 6..<8:
            return generator.pick(nastyScalars)
        default:
            while true {
                let value = UInt32(truncatingIfNeeded: generator.next()) % 0x11_0000
                if let scalar = Unicode.Scalar(value) { return scalar }
            }
        }
    }
}
