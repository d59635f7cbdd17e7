extension CSVColumnMap {
    /// The header column each lead field is read from first, by field name (`"phone"` →
    /// `"Contact Phone Number"`), for the import result.
    public var fieldColumnNames: [String: String] {
        var names: [String: String] = [:]
        for (field, indices) in fieldColumns {
            if let first = indices.first { names[field.rawValue] = columns[first].name }
        }
        return names
    }

    /// One sentence per field that two or more equally well-named columns name: the first is
    /// read, the others only on rows where it is blank. In ``LeadField`` order.
    public var tiedColumnWarnings: [String] {
        LeadField.allCases.compactMap { field in
            guard let indices = fieldColumns[field], let first = indices.first, let rank = columns[first].rank else { return nil }
            let tied = indices.filter { columns[$0].rank == rank }
            guard tied.count > 1 else { return nil }
            let others = tied.dropFirst().map { "\"\(columns[$0].name)\"" }.joined(separator: ", ")
            return "\(tied.count) columns could hold \(field.rawValue): \"\(columns[first].name)\" (the first) is used, "
                + "\(others) only on rows where it is blank"
        }
    }
}
