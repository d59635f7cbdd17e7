import ArgumentParser
import Shared

extension DestinationCommand {
    /// `leadctl destination kinds`: what ``DestinationRegistry`` knows of each kind, for people
    /// writing a `--config`.
    struct Kinds: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the destination kinds and the config fields each reads.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let kinds = DestinationRegistry.adapters.map(KindDescription.init)
            try emit(kinds, json: options.json) { kinds.flatMap(\.lines) }
        }
    }

    /// One kind as `destination kinds` shows it.
    struct KindDescription: Encodable {
        /// One config field.
        struct Field: Encodable {
            var name: String
            var alternateName: String?
            var shape: String
            var required: Bool
            var help: String

            enum CodingKeys: String, CodingKey {
                case name, shape, required, help
                case alternateName = "alternate_name"
            }
        }

        var kind: String
        var displayName: String
        var fields: [Field]
        var exampleConfig: [String: JSONValue]
        /// Whether `leadctl reconcile` can check this kind's deliveries.
        var reconcilable: Bool

        enum CodingKeys: String, CodingKey {
            case kind, fields, reconcilable
            case displayName = "display_name"
            case exampleConfig = "example_config"
        }

        /// The description of `adapter`.
        init(_ adapter: any DestinationAdapter) {
            kind = adapter.kind.rawValue
            displayName = adapter.displayName
            fields = adapter.configFields.map {
                Field(name: $0.name, alternateName: $0.alternateName, shape: $0.shape.rawValue, required: $0.isRequired, help: $0.help)
            }
            exampleConfig = adapter.exampleConfig
            reconcilable = adapter.supportsContactLookup
        }

        /// `ghl  GoHighLevel` and one indented line per field.
        var lines: [String] {
            ["\(kind)  \(displayName)\(reconcilable ? "  (reconcilable)" : "")"]
                + fields.map { field in
                    let spelling = field.alternateName.map { " / \($0)" } ?? ""
                    return "  \(field.name)\(spelling)  \(field.shape)\(field.required ? ", required" : "")  \(field.help)"
                }
        }
    }
}
