import Mustache

/// A form template reads a field's problem as `errors.<field>`, by the field's input name
/// (`{{#errors.base_url}}…{{/errors.base_url}}`); a field without a problem reads as absent.
extension FieldErrors: MustacheParent {
    /// The message for the field named `field`, if any.
    func child(named field: String) -> Any? { self[field] }
}
