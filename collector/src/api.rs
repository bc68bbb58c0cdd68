//! The public HTTP API the widget calls: survey definitions, submissions and the health check.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::Extension;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;
use voices_shared::{Submission, Window};

use crate::AppState;
use crate::body_deadline::DeadlinePassed;
use crate::catalog::Published;
use crate::error::ApiError;
use crate::store::{StoredResponse, Submitted};
use crate::writer::Written;

fn definition_response(published: &Published, request_headers: &HeaderMap) -> Response {
    cacheable_json(&published.json, &published.etag, request_headers)
}

/// Public JSON that changes only when staff change it (a definition, a survey's updates):
/// cacheable for a minute, and answered 304 when the client has it already (`etag` is the
/// strong tag of `json`).
pub(crate) fn cacheable_json(json: &str, etag: &str, request_headers: &HeaderMap) -> Response {
    // Weak: the same tag names the plain, gzip and brotli bodies (compressed on the way
    // out), which a strong tag must not.
    let weak = HeaderValue::from_str(&format!("W/{etag}")).expect("ETags are ASCII");
    let unchanged = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // If-None-Match compares weakly: a proxy that compresses may have weakened the tag.
            v.split(',')
                .map(str::trim)
                .any(|tag| tag.trim_start_matches("W/") == etag || tag == "*")
        });
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json.to_owned(),
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, weak);
    // Short: a change reaches phones within a minute.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

/// `GET /api/surveys/{id}`: the current published version.
pub async fn survey(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let published = latest(&state, &id)?;
    Ok(definition_response(&published, &headers))
}

/// The newest published version of survey `id`, or the API's 404.
pub(crate) fn latest(state: &AppState, id: &str) -> Result<Arc<Published>, ApiError> {
    state
        .catalog()
        .latest(id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))
}

/// `GET /api/surveys/{id}/versions/{v}`: an older version, for someone who started on it.
pub async fn survey_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(format!("survey \"{id}\" has no version {version}"));
    let number: u32 = version.parse().map_err(|_| not_found())?;
    let published = state.catalog().version(&id, number).ok_or_else(not_found)?;
    Ok(definition_response(&published, &headers))
}

/// Counts one submission against its client's rate limit (the API's and the forms' Send
/// alike); `Err` says how long until that client may send again.
pub(crate) fn admit(
    state: &AppState,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> Result<(), std::time::Duration> {
    let client = client_address(
        state,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        headers,
    );
    state.limiter().check(client, Instant::now())
}

/// The address limits are counted against: the socket's peer, or, behind
/// the operator's own proxy, the last address that proxy appended.
pub(crate) fn client_address(
    state: &AppState,
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
) -> IpAddr {
    if state.config().behind_proxy {
        // Only the last entry: the one the operator's proxy wrote. Earlier ones
        // came from the client, so a last entry that is not an address is no
        // reason to trust one of them instead: the peer is used.
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|item| item.trim().parse::<IpAddr>().ok());
        if let Some(address) = last {
            return address;
        }
    }
    peer.map(|p| p.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads a submission's body, at most `limit` bytes, within the deadline every
/// body has (`body_deadline`, set in `app`): a phone on a weak signal needs
/// seconds, but a client trickling bytes must not hold a connection open.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            Err(ApiError::TooLarge { limit })
        }
        Err(error) => match DeadlinePassed::behind(error.as_ref()) {
            Some(passed) => Err(ApiError::RequestTimeout { seconds: passed.0 }),
            None => Err(ApiError::BadRequest {
                message: format!("the request body could not be read: {error}"),
            }),
        },
    }
}

/// Reads the body as a [`Submission`], saying where the shape is wrong.
pub(crate) fn parse_submission(bytes: &[u8]) -> Result<Submission, ApiError> {
    // The fast path for the usual, well-formed body; only a refusal pays for
    // tracking the JSON path to name where it went wrong.
    if let Ok(submission) = serde_json::from_slice::<Submission>(bytes) {
        return Ok(submission);
    }
    // Say first whether it is JSON at all, then whether it is an object:
    // `[...]` would otherwise be read as a struct written as a list.
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::BadRequest {
            message: format!("the body is not valid JSON: {error}"),
        });
    }
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::BadRequest {
            message: "the body is not a response: it must be a JSON object like {\"submission_id\": ..., \"answers\": {...}}".into(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let submission: Submission =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            let message = if inner.is_syntax() || inner.is_eof() {
                format!("the body is not valid JSON: {inner}")
            } else if path == "." {
                format!("the body is not a response: {inner}")
            } else {
                format!("{path}: {inner}")
            };
            ApiError::BadRequest { message }
        })?;
    deserializer.end().map_err(|error| ApiError::BadRequest {
        message: format!("the body has more after the JSON object: {error}"),
    })?;
    Ok(submission)
}

/// `POST /api/surveys/{id}/responses`: validates with `shared`, stores once per
/// `submission_id`, and answers only when the response is on disk.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    admit(&state, peer, &headers).map_err(|retry_after| ApiError::RateLimited { retry_after })?;

    // An unknown survey is a 404 before anything about the body.
    state
        .catalog()
        .latest(&id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))?;
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let limit = state.config().body_limit;
    if let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && length > limit
    {
        return Err(ApiError::TooLarge { limit });
    }
    let bytes = read_body(body, limit).await?;
    let submission = parse_submission(&bytes)?;

    let (created, receipt) = store_submission(&state, &id, submission, None).await?;
    Ok(receipt_response(created, &receipt))
}

/// A stored response's answer: 201 with its receipt, or 200 with the first receipt for a
/// retry; never cached.
pub(crate) fn receipt_response(created: bool, receipt: &str) -> Response {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, Json(json!({"receipt": receipt}))).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What the store knows of `submission_id` for survey `id`, read off the async threads.
async fn stored_before(
    state: &AppState,
    id: &str,
    submission_id: uuid::Uuid,
) -> Result<Submitted, ApiError> {
    let lookup = id.to_owned();
    state
        .with_store(move |store| {
            store
                .find_submission(&lookup, submission_id)
                .map_err(ApiError::while_storing_response)
        })
        .await
}

/// How long `/healthz` waits for the writer: longer means the disk is not
/// answering (or a huge batch is being flushed), which a monitor should hear about.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// `GET /healthz`: 200 when the writer stored a small record and
/// flushed it; 503 saying why not (the disk is full or read-only, the writer
/// has stopped or is stuck).
pub async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    match tokio::time::timeout(HEALTH_TIMEOUT, state.writer().health()).await {
        Err(_) => {
            return Err(ApiError::Unavailable(format!(
                "the writer did not store a health check within {} s; the disk may not be answering",
                HEALTH_TIMEOUT.as_secs()
            )));
        }
        // Whatever the store says, the collector cannot take responses now: 503, with why.
        Ok(Err(error)) => return Err(ApiError::Unavailable(error.to_string())),
        Ok(Ok(())) => {}
    }
    let widget = if state.assets().has_widget() {
        "built"
    } else {
        "missing"
    };
    let mut response = Json(json!({"status": "ok", "widget": widget})).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Who recorded a response with someone, from the collection credential that sealed it.
pub(crate) struct Collected {
    /// The account, kept as `collected_by`.
    pub by: String,
    /// When the credential was issued: a survey open then takes what it sealed for a few
    /// days after closing, since a tablet without signal may send what it recorded on a
    /// survey's last day after it closed.
    pub issued_at: OffsetDateTime,
}

/// Checks a response with `shared` and the survey's window, and stores it once per
/// `submission_id` through the writer: the one way in, for the API and for the survey's
/// plain forms alike, and for what staff collected (`collected`, from a collection
/// credential). `Ok((created, receipt))` only once it is on disk; a retry of a response
/// already stored gets its first receipt (`created` false).
pub(crate) async fn store_submission(
    state: &AppState,
    id: &str,
    submission: Submission,
    collected: Option<Collected>,
) -> Result<(bool, String), ApiError> {
    let id = id.to_owned();
    let latest = state
        .catalog()
        .latest(&id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))?;
    let version = submission.survey_version;
    let published = state
        .catalog()
        .version(&id, version)
        .ok_or_else(|| ApiError::NotFound(format!("survey \"{id}\" has no version {version}")))?;
    // Answers recorded with someone come only through a collection credential, which says
    // who recorded them: a web page cannot claim them. A retry of one stored before this
    // rule still gets its receipt (a device may have kept it waiting since).
    if collected.is_none() && !submission.channel.is_own_device() {
        return match stored_before(state, &id, submission.submission_id).await? {
            Submitted::Stored(stored) if stored.channel == submission.channel => {
                Ok((false, stored.receipt.to_string()))
            }
            Submitted::Stored(_) => Err(ApiError::SubmissionConflict),
            Submitted::Erased => Err(ApiError::Erased),
            Submitted::Unknown => Err(ApiError::ChannelNotPublic(submission.channel)),
        };
    }
    let valid = published
        .survey
        .accept(submission)
        .map_err(ApiError::InvalidAnswers)?;

    // The survey's current window decides, whichever version was answered:
    // closing a survey closes all its versions. A retry of a response stored
    // while it was open is still answered with its receipt: the person was
    // told it would be sent, and it was.
    let now = OffsetDateTime::now_utc();
    let window = latest.survey.window_at(now);
    // Recorded with someone while the survey was open, on a tablet without signal: taken
    // for as long as a credential lasts after it closes (the credential was issued while it
    // was open, and the survey closed no longer ago than that).
    let recorded_in_time = collected.as_ref().is_some_and(|c| {
        window == Window::Closed
            && latest.survey.window_at(c.issued_at) == Window::Open
            && latest.survey.closes_at().is_some_and(|closes| {
                now <= closes + time::Duration::days(crate::staff::actions::COLLECTION_DAYS)
            })
    });
    if window != Window::Open && !recorded_in_time {
        match stored_before(state, &id, valid.submission_id()).await? {
            Submitted::Stored(_) => {}
            Submitted::Erased => return Err(ApiError::Erased),
            Submitted::Unknown => {
                return Err(ApiError::Closed(match window {
                    Window::NotYetOpen => format!("survey \"{id}\" is not open for responses yet"),
                    _ => format!("survey \"{id}\" has closed and no longer takes responses"),
                }));
            }
        }
    }

    let receipt = state.store().first_receipt(&id, valid.submission_id());
    let mut candidate = StoredResponse::new(&id, valid, receipt, OffsetDateTime::now_utc());
    candidate.collected_by = collected.map(|c| c.by);
    let written = state
        .writer()
        .write(candidate)
        .await
        .map_err(ApiError::while_storing_response)?;
    let (created, stored) = match written {
        Written::Created(stored) => (true, stored),
        Written::Retry(stored) => (false, stored),
        Written::Conflict => return Err(ApiError::SubmissionConflict),
        Written::Erased => return Err(ApiError::Erased),
    };
    if created {
        tracing::debug!(survey = %id, version, receipt = %stored.receipt, "response stored");
    }
    Ok((created, stored.receipt.to_string()))
}
