extension DashboardTemplates {
    /// The sign-in page (no layout chrome: nobody is signed in yet).
    static let login = """
        \(HTMLPageHead.start)
        <title>Sign in · LeadRelay</title>
        <link rel="stylesheet" href="/assets/dashboard.css">
        </head>
        <body>
        <main class="login">
        <div class="card">
        <h1>Sign in to LeadRelay</h1>
        {{#problem}}<div class="alert" role="alert">{{problem}}</div>{{/problem}}
        <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" value="{{email}}" required autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        </form>
        </div>
        </main>
        </body>
        </html>
        """
}
