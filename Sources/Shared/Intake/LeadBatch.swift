/// One item of a batch after normalization: a lead ready to write, or why it is not one.
public enum PreparedLead: Sendable {
    case valid(NormalizedLead)
    case invalid([FieldIssue])

    /// The lead, when the item is valid.
    public var lead: NormalizedLead? {
        if case .valid(let lead) = self { lead } else { nil }
    }
}

/// Normalization for every channel (lead API, forms, webhooks, CSV imports, test leads): lead
/// inputs in, ``PreparedLead``s out, in order, with the tenant's region for phone numbers.
public struct LeadBatch: Sendable {
    /// One entry per input, in order.
    public var items: [PreparedLead]

    /// Normalizes `inputs` for `region`.
    public init(_ inputs: some Sequence<LeadInput>, region: String) {
        self.init(inputs.lazy.map { Optional($0) }, region: region)
    }

    /// Normalizes `inputs` for `region`; a nil input is an item that is not a JSON object.
    public init(_ inputs: some Sequence<LeadInput?>, region: String) {
        let normalizer = LeadNormalizer(defaultRegion: region)
        items = inputs.map { input in
            guard let input else { return .invalid([FieldIssue(field: "lead", message: "must be a JSON object")]) }
            switch normalizer.normalize(input) {
            case .success(let lead): return .valid(lead)
            case .failure(let rejection): return .invalid(rejection.errors)
            }
        }
    }

    /// Normalizes JSON items (one lead each) through `fieldMap` for `region`.
    public init(jsonItems: some Sequence<JSONValue>, fieldMap: [String: String], region: String) {
        self.init(
            jsonItems.lazy.map { item -> LeadInput? in
                guard case .object(let object) = item else { return nil }
                return LeadInput(object: object, fieldMap: fieldMap)
            },
            region: region
        )
    }

    /// The valid items' leads, in order.
    public var leads: [NormalizedLead] { items.compactMap(\.lead) }

    /// The invalid items: their index among the inputs and their issues.
    public var problems: [(index: Int, issues: [FieldIssue])] {
        items.enumerated().compactMap { index, item in
            if case .invalid(let issues) = item { (index, issues) } else { nil }
        }
    }
}
