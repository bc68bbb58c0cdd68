//! Cross-origin rules for the public API: only a survey's `allowed_origins` may call it.
//!
//! Staff routes never pass through here and never get CORS headers.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::ApiError;
use crate::origin::is_own_origin;

/// The survey id in `/api/surveys/{id}...`.
fn survey_id(path: &str) -> Option<&str> {
    path.strip_prefix("/api/surveys/")?
        .split('/')
        .next()
        .filter(|id| !id.is_empty())
}

pub async fn layer(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let Some(origin) = origin else {
        // Not a browser's cross-origin request (curl, scripts, same-origin GET).
        // Still say the answer depends on Origin: a shared cache must not hand
        // this copy, without CORS headers, to a partner's page.
        let mut response = next.run(request).await;
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Origin"));
        return response;
    };
    let id = survey_id(request.uri().path()).map(str::to_owned);
    let allowed = match &id {
        Some(id) => match state.catalog().latest(id) {
            Some(published) => {
                published.survey.allows_origin(&origin)
                    // The collector's own pages (`/s/{id}`, `/demo`).
                    || is_own_origin(&origin, request.headers(), state.config().behind_proxy)
            }
            // Let the widget read "no such survey" rather than a CORS failure.
            None => true,
        },
        None => false,
    };
    let preflight = request.method() == Method::OPTIONS;
    let mut response = if !allowed && (preflight || request.method() == Method::POST) {
        ApiError::OriginNotAllowed {
            origin: origin.clone(),
            survey: id.unwrap_or_default(),
        }
        .into_response()
    } else if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        response
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if allowed && let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("etag, retry-after"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_survey_in_the_path() {
        assert_eq!(
            survey_id("/api/surveys/engagement-2026/responses"),
            Some("engagement-2026")
        );
        assert_eq!(
            survey_id("/api/surveys/engagement-2026"),
            Some("engagement-2026")
        );
        assert_eq!(survey_id("/api/surveys/"), None);
        assert_eq!(survey_id("/healthz"), None);
    }
}
