extension ImportRecord {
    /// Which header column each lead field is read from (first, when several name it), by field
    /// name: `["email": "E-mail Address", "phone": "Contact Phone Number"]`. Derived from
    /// ``columns`` by the rules of ``CSVColumnMap``, the ones the import ran with; empty before
    /// the header was read.
    public var fieldColumns: [String: String] {
        columns.isEmpty ? [:] : CSVColumnMap(header: columns).fieldColumnNames
    }
}
