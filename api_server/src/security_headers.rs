//! Browser security headers, set with tower-http's `SetResponseHeaderLayer`:
//!
//! - on every response: a Content-Security-Policy (below), `X-Frame-Options: DENY` (with CSP's
//!   `frame-ancestors 'none'`: no clickjacking), `X-Content-Type-Options: nosniff`,
//!   `Referrer-Policy: same-origin`;
//! - on every `/api` response (candidates' data, the CSV export, errors) and the API docs:
//!   `Cache-Control: no-store`, so no browser or proxy cache keeps a copy.
//!
//! HSTS belongs to the HTTPS reverse proxy (docs/operations.md): api_server speaks plain HTTP.

use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The admin panel's policy: its own scripts only (no inline script, no `eval`); inline styles are
/// allowed because Mantine injects `<style>` elements and `style` attributes at run time; images and
/// fonts from the panel or `data:` URLs; API calls to the same origin; never framed.
pub const PANEL_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// Swagger UI at `/api/docs` (vendored): the same, and it loads the document from the same origin.
/// Kept separate so the two can diverge (Swagger UI needs no fonts).
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// The Content-Security-Policy of everything that has none of its own (the panel).
pub fn panel_policy() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PANEL_CSP))
}

/// Swagger UI's Content-Security-Policy.
pub fn docs_policy() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CSP))
}

/// No framing, no MIME sniffing, no full referrer to other sites.
pub fn browser_headers() -> [SetResponseHeaderLayer<HeaderValue>; 3] {
    [
        SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
    ]
}

/// `Cache-Control: no-store`, for every `/api` response.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}
