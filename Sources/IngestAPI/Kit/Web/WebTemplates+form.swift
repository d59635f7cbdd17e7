extension WebTemplates {
    /// A hosted lead form (``FormPage``): labels, input types and autocomplete hints suited to
    /// phones, the user's values kept and a message per field after a failed submit, and a
    /// honeypot field people never see.
    static let form = """
        {{<layout}}{{$title}}{{title}}{{/title}}{{$body}}
        <div class="card">
        <h1>{{title}}</h1>
        {{#intro}}<p class="intro">{{intro}}</p>{{/intro}}
        {{#formError}}<div class="alert" role="alert">{{formError}}</div>{{/formError}}
        <form method="post" action="{{action}}" novalidate>
        {{#fields}}
        <div class="{{#error}}invalid{{/error}}">
        <label for="f-{{name}}">{{label}}{{#required}} *{{/required}}</label>
        {{#isTextarea}}<textarea id="f-{{name}}" name="{{name}}"{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}>{{value}}</textarea>{{/isTextarea}}
        {{^isTextarea}}<input id="f-{{name}}" name="{{name}}" type="{{type}}" value="{{value}}" autocomplete="{{autocomplete}}"{{#inputMode}} inputmode="{{inputMode}}"{{/inputMode}}{{#required}} required{{/required}}{{#error}} aria-invalid="true" aria-describedby="e-{{name}}"{{/error}}>{{/isTextarea}}
        {{#error}}<p class="error" id="e-{{name}}">{{error}}</p>{{/error}}
        </div>
        {{/fields}}
        <div class="hp" aria-hidden="true"><label for="f-hp">Leave this empty</label><input id="f-hp" name="{{honeypotName}}" type="text" tabindex="-1" autocomplete="off" value=""></div>
        {{#consent}}<p class="consent">{{consent}}</p>{{/consent}}
        <button type="submit">{{submitLabel}}</button>
        </form>
        </div>
        {{/body}}{{/layout}}
        """

    /// The default thank-you page when a form has no thank-you URL.
    static let thanks = """
        {{<layout}}{{$title}}Thank you{{/title}}{{$body}}
        <div class="card"><h1>{{heading}}</h1><p class="intro">{{message}}</p></div>
        {{/body}}{{/layout}}
        """
}
