import Foundation

extension TestEnvironment {
    /// `../shared/reference` next to the repository: the CRM facts and the GoHighLevel OpenAPI files.
    public static var reference: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")
    }
}
