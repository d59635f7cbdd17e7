import Mustache

extension MessageTemplate {
    /// The transforms a template may apply to a value: `{{uppercased(first_name)}}`.
    static let allowedTransforms: Set<String> = ["lowercased", "uppercased", "capitalized"]

    /// Refuses the tags a message has no use for: partials (`{{>name}}`, `{{<name}}`: there is no
    /// library to take them from), delimiter changes (`{{=<% %>=}}`: they would hide a partial from
    /// this check) and pragmas (`{{%CONTENT_TYPE:…}}`: the mode decides the escaping).
    static func refuseUnsupportedTags(in source: String, field: String) throws(MessageTemplateError) {
        let refusals = [
            ("{{>", "partials ({{>name}}) are not supported"),
            ("{{<", "partials ({{<name}}) are not supported"),
            ("{{=", "delimiter changes ({{=…=}}) are not supported"),
            ("{{%", "pragmas ({{%…}}) are not supported"),
        ]
        for (tag, reason) in refusals where source.contains(tag) {
            throw MessageTemplateError(field: field, reason: reason)
        }
    }

    /// The most different names a template may test in sections (`{{#name}}`, `{{^name}}`):
    /// checking renders the template once per combination of them.
    static let maximumSectionNames = 10

    /// The names `template` uses, each a lead field, sorted.
    ///
    /// The template is rendered against recording stand-ins for every combination of present and
    /// absent values of the names its sections test (found as they are reached, until no new one
    /// turns up), so every section body a lead could see is visited, however `{{#a}}` and `{{^b}}`
    /// nest: a name no render asks for cannot be in the text a lead gets.
    static func checkedNames(of template: MustacheTemplate, field: String) throws(MessageTemplateError) -> [String] {
        let recorder = NameRecorder()
        var swept: [String]?
        while recorder.sectionNames != swept, recorder.sectionNames.count <= maximumSectionNames {
            let sectionNames = recorder.sectionNames
            for combination in 0..<(1 << sectionNames.count) {
                let absent = sectionNames.indices.filter { combination >> $0 & 1 == 1 }.map { sectionNames[$0] }
                _ = template.render(NameProbe(recorder: recorder, absent: Set(absent)))
            }
            swept = sectionNames
        }
        if let transform = recorder.transforms.first(where: { !allowedTransforms.contains($0) }) {
            let allowed = allowedTransforms.sorted().joined(separator: ", ")
            throw MessageTemplateError(field: field, reason: "unknown function \(transform)(…); known: \(allowed)")
        }
        let unknown = recorder.names.filter { !MessageTemplateField.isKnown($0) }
        guard unknown.isEmpty else {
            let list = unknown.map { "{{\($0)}}" }.joined(separator: ", ")
            let noun = unknown.count == 1 ? "field" : "fields"
            throw MessageTemplateError(field: field, reason: "unknown \(noun) \(list); known: \(MessageTemplateField.knownNamesText)")
        }
        guard recorder.sectionNames.count <= maximumSectionNames else {
            throw MessageTemplateError(field: field, reason: "sections test more than \(maximumSectionNames) different names")
        }
        return recorder.names.sorted()
    }
}

/// The names, section names and transforms renders asked for, each once, in order.
private final class NameRecorder {
    private(set) var names: [String] = []
    private(set) var sectionNames: [String] = []
    private(set) var transforms: [String] = []

    func record(name: String) {
        if !names.contains(name) { names.append(name) }
    }

    func record(sectionName: String) {
        if !sectionNames.contains(sectionName) { sectionNames.append(sectionName) }
    }

    func record(transform: String) {
        if !transforms.contains(transform) { transforms.append(transform) }
    }
}

/// The render root while checking a template: records every top-level name (a known field or not)
/// and answers with a ``ValueProbe``; `extra` answers with an ``ExtraProbe``, which records its use.
private struct NameProbe: MustacheParent, MustacheCustomRenderable {
    let recorder: NameRecorder
    let absent: Set<String>

    func child(named name: String) -> Any? {
        if name == MessageTemplateField.extraName { return ExtraProbe(recorder: recorder, absent: absent) }
        recorder.record(name: name)
        return ValueProbe(path: name, recorder: recorder, absent: absent)
    }

    // `{{.}}` or `{{#.}}` outside any section: the whole lead, which is no field.
    var renderText: String {
        recorder.record(name: ".")
        return ""
    }

    var isNull: Bool {
        recorder.record(name: ".")
        return false
    }
}

/// `extra` itself: `{{extra.key}}` records `extra.key`; using `extra` alone (`{{extra}}`,
/// `{{#extra}}`) records `extra`, which is no field.
private struct ExtraProbe: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    let recorder: NameRecorder
    let absent: Set<String>

    func child(named key: String) -> Any? {
        let path = "\(MessageTemplateField.extraName).\(key)"
        recorder.record(name: path)
        return ValueProbe(path: path, recorder: recorder, absent: absent)
    }

    var renderText: String {
        recorder.record(name: MessageTemplateField.extraName)
        return ""
    }

    var isNull: Bool {
        recorder.record(name: MessageTemplateField.extraName)
        return false
    }

    func transform(_ name: String) -> Any? {
        recorder.record(name: MessageTemplateField.extraName)
        return nil
    }
}

/// One value, present (`"x"`, truthy) or absent (null: `{{^name}}` renders); a section asking
/// for it records its name as one to combine.
///
/// Mustache asks a value for a child in two cases: a dotted name (`{{first_name.x}}`, recorded:
/// a lead value has no members) or a lookup inside the value's own section
/// (`{{#first_name}}{{last_name}}{{/first_name}}`, which climbs to the root and is not recorded).
/// A section first asks ``isNull``, which tells the two apart.
private final class ValueProbe: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    let path: String
    let recorder: NameRecorder
    let isAbsent: Bool
    private var isSectionContext = false

    init(path: String, recorder: NameRecorder, absent: Set<String>) {
        self.path = path
        self.recorder = recorder
        self.isAbsent = absent.contains(path)
    }

    func child(named name: String) -> Any? {
        if !isSectionContext { recorder.record(name: "\(path).\(name)") }
        return nil
    }

    var renderText: String { isAbsent ? "" : "x" }

    var isNull: Bool {
        recorder.record(sectionName: path)
        isSectionContext = true
        return isAbsent
    }

    func transform(_ name: String) -> Any? {
        recorder.record(transform: name)
        return self
    }
}
