import Mustache

/// The dashboard's templates, compiled once at start. Every `{{value}}` is HTML-escaped by
/// Mustache; the only unescaped insertions (`{{{…}}}`) are markup built in Swift with
/// ``HTMLText`` escaping (the chart).
struct DashboardTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates by name.
    static let pages: [(name: String, template: String)] = [
        ("dash_layout", layout), ("login", login), ("overview", overview), ("leads", leads), ("lead", lead),
        ("deliveries", deliveries), ("retry_confirm", retryConfirm), ("audit", audit), ("message", message),
        ("imports", imports), ("events", events),
    ] + configurationPages

    /// Compiles every template; a syntax error is a programming error.
    init() {
        library = .compiling(Self.pages)
    }

    /// `object` rendered with the template `name`.
    func render(_ object: Any, template name: String) -> String {
        library.render(object, withTemplate: name) ?? ""
    }

    /// The frame of every signed-in page: navigation, the signed-in user, sign-out.
    static let layout = """
        \(HTMLPageHead.start)
        <title>{{$title}}Dashboard{{/title}} · LeadRelay</title>
        <link rel="stylesheet" href="/assets/dashboard.css">
        </head>
        <body>
        {{#chrome}}
        <header class="top">
        <a class="brand" href="/dashboard">LeadRelay</a>
        <nav aria-label="Main">{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
        <form method="post" action="/dashboard/logout" class="who">
        <span title="{{roleLabel}}">{{userEmail}}</span>
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" class="link">Sign out</button>
        </form>
        </header>
        <main>
        {{#notice}}<div class="notice" role="status">{{.}}</div>{{/notice}}
        {{#problem}}<div class="alert" role="alert">{{.}}</div>{{/problem}}
        {{/chrome}}
        {{$body}}{{/body}}
        </main>
        <script src="/assets/dashboard.js"></script>
        </body>
        </html>
        """

    /// A page with just a heading and a message (not found, forbidden, done).
    static let message = """
        {{<dash_layout}}{{$title}}{{heading}}{{/title}}{{$body}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        {{#backHref}}<p><a href="{{backHref}}">Back</a></p>{{/backHref}}
        {{/body}}{{/dash_layout}}
        """
}
