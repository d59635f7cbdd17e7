import Shared

extension StandInAnswer {
    /// Shopmonkey's error envelope: `{"success": false, "code": …, "message": …}`.
    public static func shopmonkeyError(_ status: Int, code: String, message: String, headers: [(name: String, value: String)] = []) -> Self {
        .json(status, JSONValue.object(["success": false, "code": .string(code), "message": .string(message)]).compactJSONText, headers: headers)
    }
}
