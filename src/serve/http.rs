//! HTTP for `serve`: static files from memory, the live-reload event stream, and the checks
//! that keep a local dev server from being used by other sites (Host and Origin) or from
//! reading outside the site (path traversal).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::{LiveEvent, State};

pub const LIVE_JS: &str = include_str!("live.js");

pub fn router(state: Arc<State>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

fn plain(status: StatusCode, msg: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        msg.to_string(),
    )
        .into_response()
}

fn host_allowed(state: &State, headers: &HeaderMap) -> bool {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| state.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
}

fn origin_allowed(state: &State, headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(o) => state.origins.iter().any(|a| a.eq_ignore_ascii_case(o)),
    }
}

/// Maps a request path to a file of the site, or `None` for anything that could leave it.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.contains(crate::render::ROOT_MARK)
    {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "md" | "mediawiki" | "csv" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page.
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__wa/live.js\"></script>";
    let text = html;
    match text
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
    {
        Some(i) => [&text[..i], tag, &text[i..]].concat(),
        None => [text, tag].concat(),
    }
}

async fn handle(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let headers = req.headers();
    if !host_allowed(&state, headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "wa-docs serve answers only requests for localhost (Host header refused)",
        );
    }
    let path = req.uri().path().to_string();
    match path.as_str() {
        "/__wa/live.js" => {
            return (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                LIVE_JS,
            )
                .into_response();
        }
        "/__wa/events" => {
            if !origin_allowed(&state, headers) {
                return plain(StatusCode::FORBIDDEN, "origin refused");
            }
            return events(&state).into_response();
        }
        "/__wa/status" => {
            let body = state
                .error
                .read()
                .ok()
                .and_then(|e| e.clone())
                .unwrap_or_else(|| "{\"diagnostics\":[]}".into());
            return ([(header::CONTENT_TYPE, "application/json")], body).into_response();
        }
        _ => {}
    }
    let Some(file) = site_path(&path) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "path refused: it could leave the site folder",
        );
    };
    let site = state.site.read().ok().and_then(|s| s.clone());
    let Some(site) = site else {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "the first build failed; see the terminal",
        );
    };
    // A page an edit dropped is rendered here, off the server's async tasks.
    let found = tokio::task::spawn_blocking(move || {
        let mut site = site.lock().ok()?;
        if let Some(b) = site.file(&file) {
            return Some(Found::File(StatusCode::OK, file, b));
        }
        if site.file(&format!("{file}/index.html")).is_some() {
            return Some(Found::Folder);
        }
        Some(match site.file("404.html") {
            Some(b) => Found::File(StatusCode::NOT_FOUND, "404.html".into(), b),
            None => Found::Nothing,
        })
    })
    .await
    .ok()
    .flatten();
    let (status, name, bytes) = match found {
        Some(Found::File(status, name, bytes)) => (status, name, bytes),
        Some(Found::Folder) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(v) = HeaderValue::from_str(&format!("{path}/")) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        Some(Found::Nothing) => return plain(StatusCode::NOT_FOUND, "not found"),
        None => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server state is unavailable",
            );
        }
    };
    let body = if name.ends_with(".html") {
        bytes::Bytes::from(inject(&bytes))
    } else {
        bytes.clone()
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&name)),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// What a request found in the site.
enum Found {
    File(StatusCode, String, bytes::Bytes),
    /// A folder with an index page: redirect to its `/` form.
    Folder,
    Nothing,
}

fn events(state: &State) -> impl IntoResponse + use<> {
    let first = state
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .map(|p| Event::default().event("build-error").data(p));
    let rx = BroadcastStream::new(state.tx.subscribe());
    let live = rx
        .map_while(|ev| match ev {
            Ok(LiveEvent::Shutdown) => None,
            Ok(LiveEvent::Reload { css_only }) => Some(Some(
                Event::default()
                    .event("reload")
                    .data(format!("{{\"css_only\":{css_only}}}")),
            )),
            Ok(LiveEvent::BuildError(p)) => {
                Some(Some(Event::default().event("build-error").data(p)))
            }
            Ok(LiveEvent::Ok) => Some(Some(Event::default().event("ok").data("{}"))),
            // A lagging client missed events: make it reload to catch up.
            Err(_) => Some(Some(
                Event::default()
                    .event("reload")
                    .data("{\"css_only\":false}"),
            )),
        })
        .filter_map(|e| e.map(Ok::<Event, Infallible>));
    let stream = tokio_stream::iter(first.map(Ok::<Event, Infallible>)).chain(live);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(
            site_path("/dimensions/").as_deref(),
            Some("dimensions/index.html")
        );
        assert_eq!(site_path("/../Cargo.toml"), None);
        assert_eq!(site_path("/%2e%2e/Cargo.toml"), None);
        assert_eq!(site_path("/%2E%2E%2fCargo.toml"), None);
        assert_eq!(site_path("/a%5c..%5cb"), None);
        assert_eq!(site_path("/a/%00"), None);
    }

    #[test]
    fn script_is_injected_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.ends_with("<script src=\"/__wa/live.js\"></script></body></html>"));
    }
}
