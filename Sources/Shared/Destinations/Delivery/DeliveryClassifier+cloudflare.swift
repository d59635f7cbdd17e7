import Foundation
import NIOHTTP1

extension DeliveryClassifier {
    /// Markers of Cloudflare's interstitial pages.
    static let challengeMarkers = [
        "just a moment", "challenge-platform", "cf-browser-verification", "cf_chl_",
        "attention required! | cloudflare", "checking your browser",
    ]

    /// Whether the answer is a Cloudflare challenge rather than the API's: an HTML error page
    /// carrying `cf-ray` (or `Server: cloudflare`), or any HTML page with a challenge marker
    /// such as "Just a moment…".
    static func isCloudflareChallenge(_ response: DeliveryResponse) -> Bool {
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        let start = String(decoding: response.body.prefix(4_096), as: UTF8.self).lowercased()
        let trimmedStart = start.drop { $0.isWhitespace }
        let isHTML = contentType.contains("text/html") || trimmedStart.hasPrefix("<!doctype html") || trimmedStart.hasPrefix("<html")
        guard isHTML else { return false }
        let fromCloudflare =
            response.headers.contains(name: "cf-ray")
            || response.headers.first(name: "Server")?.lowercased() == "cloudflare"
        if fromCloudflare && !(200...299).contains(response.status) { return true }
        return challengeMarkers.contains(where: start.contains) && (fromCloudflare || !(200...299).contains(response.status))
    }
}
