extension Destination {
    /// The URLs this destination's own settings point at, with the form field each comes from
    /// (`base_url`, or `config` for an `http`/`npa` destination's `url`): what is checked against
    /// the outbound address policy when the destination is saved. Built-in CRM defaults are public.
    public var configuredURLs: [(field: String, url: String)] {
        var urls: [(field: String, url: String)] = []
        if let baseURL, !baseURL.isEmpty { urls.append(("base_url", baseURL)) }
        if case .string(let url)? = config["url"], !url.isEmpty { urls.append(("config", url)) }
        return urls
    }
}
