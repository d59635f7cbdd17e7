import Testing

/// The destination layer's suites (`swift test --filter Destinations`): request builders, the
/// GoHighLevel spec validator, outcome classification and the client against stand-in CRMs.
@Suite("Destinations")
enum Destinations {}
