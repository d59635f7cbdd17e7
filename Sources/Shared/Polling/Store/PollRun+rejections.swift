extension PollRun.Rejection {
    /// The rejections stored in `poll_runs.rejections` (JSON text of `[{row, reason, fields}]`).
    /// Read leniently: a row number or id of any scalar type, field values of any scalar type;
    /// entries without a reason are skipped.
    static func decodeList(_ text: String) -> [PollRun.Rejection] {
        guard case .array(let entries) = JSONText.decode(JSONValue.self, from: text) else { return [] }
        return entries.compactMap { entry in
            guard let members = entry.objectMembers, let reason = members["reason"]?.scalarText else { return nil }
            let fields = (members["fields"]?.objectMembers ?? [:]).compactMapValues(\.scalarText)
            return PollRun.Rejection(row: members["row"]?.scalarText ?? "", reason: reason, fields: fields)
        }
    }
}
