import Synchronization

extension MessageTemplate {
    /// Compiled templates by mode, field and source, so a worker sending thousands of messages
    /// with the same few templates parses and validates each once (validation renders a template
    /// once per present/absent combination of its section names, up to 1,024 times). Bounded:
    /// emptied when it holds more than ``cacheLimit`` templates.
    private static let cache = Mutex<[String: MessageTemplate]>([:])

    /// The most templates kept compiled at a time.
    static let cacheLimit = 512

    /// ``init(_:field:mode:)``, from the cache when the same template was compiled before.
    ///
    /// - Throws: ``MessageTemplateError`` as ``init(_:field:mode:)`` does (failures are not cached).
    public static func compiled(_ source: String, field: String, mode: Mode = .text) throws(MessageTemplateError) -> MessageTemplate {
        let key = mode.rawValue + "\u{0}" + field + "\u{0}" + source
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let template = try MessageTemplate(source, field: field, mode: mode)
        cache.withLock { templates in
            if templates.count >= cacheLimit { templates.removeAll() }
            templates[key] = template
        }
        return template
    }
}
