// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for the parsers that take raw bytes. The sources under test are symlinks to
// ../Sources/Shared, compiled into each fuzzer (they need nothing but Foundation), so this package
// builds in seconds without the server's dependencies. Run with `bash fuzz/run`.
let fuzzerSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "LeadRelayFuzz",
    platforms: [.macOS(.v15)],
    targets: [
        .executableTarget(name: "CSVFuzzer", swiftSettings: fuzzerSettings),
        .executableTarget(name: "PhoneFuzzer", swiftSettings: fuzzerSettings),
    ]
)
