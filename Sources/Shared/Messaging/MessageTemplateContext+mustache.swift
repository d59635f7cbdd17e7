import Mustache

/// A ``MessageTemplateContext`` as Mustache reads it: `{{first_name}}` and the other fields, and
/// `{{extra.<key>}}` through ``ExtraMembers``. An absent value is nil, so `{{^name}}` sections
/// render for it.
struct MessageTemplateMustacheRoot: MustacheParent {
    let context: MessageTemplateContext

    func child(named name: String) -> Any? {
        if name == MessageTemplateField.extraName { return ExtraMembers(context: context) }
        return MessageTemplateField(rawValue: name).flatMap(context.value(of:))
    }

    /// The lead's `extra` object, one level deep.
    struct ExtraMembers: MustacheParent {
        let context: MessageTemplateContext

        func child(named key: String) -> Any? { context.extraValue(key) }
    }
}
