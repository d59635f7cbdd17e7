import ArgumentParser
import Shared

/// `leadctl secrets …` — key material for sealing credentials at rest.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the key that encrypts credentials at rest.",
        subcommands: [GenerateKey.self, RotateKey.self]
    )

    struct GenerateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-key",
            abstract: "Print a new random LEADRELAY_SECRET_KEY value."
        )

        func run() {
            print(SecretBox.generateKey())
        }
    }
}
