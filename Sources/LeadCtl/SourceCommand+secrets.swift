import ArgumentParser
import Foundation
import Shared

extension SourceCommand {
    /// The `--secret NAME=VALUE` assignments, where a value `@path` is the content of the file at
    /// `path` (`--secret service_account=@key.json`), trimmed; `@@…` is a value that starts with `@`.
    static func secretAssignments(_ pairs: [String]) throws -> [(name: String, value: String)] {
        try ConfigurationInput.secretAssignments(pairs).map { assignment in
            (assignment.name, try secretValue(assignment.value, name: assignment.name))
        }
    }

    /// `value` as typed, or the file it names with a leading `@`.
    private static func secretValue(_ value: String, name: String) throws -> String {
        if value.hasPrefix("@@") { return String(value.dropFirst()) }
        guard value.hasPrefix("@") else { return value }
        let path = String(value.dropFirst())
        guard !path.isEmpty else { throw ValidationError("--secret \(name)=@: name the file to read after the @") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("--secret \(name): cannot read \(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--secret \(name): cannot read \(path): \(isDirectory.boolValue ? "it is a directory" : "permission denied")")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("--secret \(name): \(path) is not UTF-8 text") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ValidationError("--secret \(name): \(path) is empty (to clear the secret, pass --secret \(name)=)")
        }
        return trimmed
    }
}
