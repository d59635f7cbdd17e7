// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for the parsers that take raw bytes. They build against the root package's
// CSVReader and PhoneNumbers libraries, which need nothing but Foundation, so only those two
// targets are compiled (with the fuzzer's instrumentation), not the server. Run with `bash fuzz/run`.
let fuzzerSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "LeadRelayFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that the products below are found whatever the checkout's folder is called.
        .package(name: "LeadRelay", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "CSVFuzzer",
            dependencies: [.product(name: "CSVReader", package: "LeadRelay")],
            swiftSettings: fuzzerSettings
        ),
        .executableTarget(
            name: "PhoneFuzzer",
            dependencies: [.product(name: "PhoneNumbers", package: "LeadRelay")],
            swiftSettings: fuzzerSettings
        ),
    ]
)
