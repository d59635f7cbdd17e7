import Mustache

/// The server-rendered pages (hosted lead forms, the CSV upload page), compiled once at start.
/// Templates live in Swift sources so the binary needs no files at run time.
struct WebTemplates: Sendable {
    let library: MustacheLibrary

    /// Compiles every page template; a template syntax error is a programming error.
    init() {
        library = .compiling([("layout", Self.layout), ("form", Self.form), ("thanks", Self.thanks), ("not_found", Self.notFound),
                              ("upload", Self.upload)])
    }

    /// `object` rendered with the template `name` (HTML-escaped by default).
    func render(_ object: Any, template name: String) -> String {
        library.render(object, withTemplate: name) ?? ""
    }

    /// The page frame: a small, mobile-first stylesheet shared by every page.
    static let layout = """
        \(HTMLPageHead.start)
        <title>{{$title}}LeadRelay{{/title}}</title>
        <style>
        :root { color-scheme: light; --accent: #1f6feb; --danger: #c62828; --muted: #5f6b7a; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f5f7fa; color: #1c2430; }
        main { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        main.wide { max-width: 52rem; }
        .card { background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); padding: 1.5rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
        p.intro { color: var(--muted); margin: 0 0 1.25rem; }
        label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
        input, textarea, select { width: 100%; font: inherit; padding: .7rem .8rem; border: 1px solid #c9d1db; border-radius: 8px; background: #fff; }
        input:focus, textarea:focus, select:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
        textarea { min-height: 6rem; resize: vertical; }
        .invalid input, .invalid textarea { border-color: var(--danger); }
        .error { color: var(--danger); font-size: .9rem; margin: .25rem 0 0; }
        .alert { background: #fdecea; color: var(--danger); border-radius: 8px; padding: .75rem 1rem; margin-bottom: 1rem; }
        .ok { background: #e8f5e9; color: #1b5e20; border-radius: 8px; padding: .75rem 1rem; }
        button { margin-top: 1.5rem; width: 100%; font: inherit; font-weight: 600; padding: .85rem; border: 0; border-radius: 8px; background: var(--accent); color: #fff; cursor: pointer; }
        button[disabled] { opacity: .6; cursor: progress; }
        .hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
        .consent { font-size: .85rem; color: var(--muted); margin-top: 1rem; }
        .muted { color: var(--muted); font-size: .9rem; }
        progress { width: 100%; height: 1rem; margin-top: 1rem; }
        table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-size: .9rem; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
        </style>
        </head>
        <body><main class="{{$mainClass}}{{/mainClass}}">{{$body}}{{/body}}</main></body>
        </html>
        """

    /// Shown for an unknown or disabled form token.
    static let notFound = """
        {{<layout}}{{$title}}Form not found{{/title}}{{$body}}
        <div class="card"><h1>This form is not available</h1>
        <p class="intro">The link may be mistyped, or the form was switched off.</p></div>
        {{/body}}{{/layout}}
        """
}
