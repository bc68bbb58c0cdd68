//! Every way a request can fail, and the one place each becomes an HTTP response.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use voices_shared::{AnswerProblem, SurveyProblems};

use crate::staff::actions::AccountError;
use crate::store::StoreError;

/// An error answered as JSON `{"error": CODE, "message": TEXT, "details": [...]}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON, or not of the response's shape.
    #[error("{message}")]
    BadRequest { message: String },
    #[error(
        "pages on {origin} may not submit to survey \"{survey}\"; ask the survey's owner to add the origin to allowed_origins"
    )]
    OriginNotAllowed { origin: String, survey: String },
    #[error("{0}")]
    NotFound(String),
    #[error(
        "a response with this submission_id was already stored with different answers; a new response needs a new submission_id"
    )]
    SubmissionConflict,
    #[error("{0}")]
    Closed(String),
    /// A retry of a response that was stored and then erased.
    #[error(
        "this response was stored and then erased (at the respondent's request, or at the end of the survey's retention period); it will not be stored again"
    )]
    Erased,
    #[error("the request body is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the request body did not arrive within {seconds} seconds; send it again")]
    RequestTimeout { seconds: u64 },
    #[error("send the response as JSON, with the header Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("the answers break the survey's rules: {}", summary(.0))]
    InvalidAnswers(Vec<AnswerProblem>),
    #[error("too many submissions from one address; try again in {} seconds", .retry_after.as_secs().max(1))]
    RateLimited { retry_after: Duration },
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
    /// No valid session or token.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed this (a role, or a missing CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// A collected response sealed with a credential that may not send it (another
    /// person's, or one revoked): this response is refused, the sending credential is fine.
    #[error("{0}")]
    SealedWithOtherCredential(String),
    /// A submission from anyone claiming a channel only staff record (face to face, phone,
    /// paper), which come through a collection credential.
    #[error("channel: \"{}\" is recorded only by staff collecting responses with people (signed in on /admin/collect); a web page sends \"online\" or \"qr\"", .0.as_str())]
    ChannelNotPublic(voices_shared::Channel),
    /// A survey version already published with other content.
    #[error("{0}")]
    VersionConflict(String),
    /// A definition that does not parse: every problem with its JSON path.
    #[error("the survey definition has {} problem{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().next().map(ToString::to_string).unwrap_or_default())]
    InvalidSurvey(SurveyProblems),
    /// A survey's updates that do not parse: every problem with its JSON path.
    #[error("the updates have {} problem{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().next().map(ToString::to_string).unwrap_or_default())]
    InvalidUpdates(SurveyProblems),
    /// An address for a survey's updates that is not an email address.
    #[error("email: \"{0}\" is not an email address; write it like name@example.com")]
    InvalidEmail(String),
    /// Too many failed sign-ins: wait before the next.
    #[error("too many failed sign-ins; try again in {} seconds", .retry_after.as_secs().max(1))]
    SignInThrottled { retry_after: Duration },
}

fn summary(problems: &[AnswerProblem]) -> String {
    let count = problems.len();
    let first = problems
        .first()
        .map(|p| format!("{}: {}", p.path(), p.message()))
        .unwrap_or_default();
    if count > 1 {
        format!("{first} (and {} more)", count - 1)
    } else {
        first
    }
}

impl ApiError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::OriginNotAllowed { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::SubmissionConflict => StatusCode::CONFLICT,
            ApiError::Closed(_) => StatusCode::GONE,
            ApiError::Erased => StatusCode::GONE,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidAnswers(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::ChannelNotPublic(_) => StatusCode::FORBIDDEN,
            ApiError::SealedWithOtherCredential(_) => StatusCode::FORBIDDEN,
            ApiError::VersionConflict(_) => StatusCode::CONFLICT,
            ApiError::InvalidSurvey(_) | ApiError::InvalidUpdates(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::InvalidEmail(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::SignInThrottled { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::OriginNotAllowed { .. } => "origin_not_allowed",
            ApiError::NotFound(_) => "not_found",
            ApiError::SubmissionConflict => "submission_conflict",
            ApiError::Closed(_) => "closed",
            ApiError::Erased => "erased",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::RequestTimeout { .. } => "request_timeout",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::InvalidAnswers(_) => "invalid_answers",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::ChannelNotPublic(_) => "channel_not_public",
            ApiError::SealedWithOtherCredential(_) => "sealed_with_other_credential",
            ApiError::VersionConflict(_) => "version_conflict",
            ApiError::InvalidSurvey(_) => "invalid_survey",
            ApiError::InvalidUpdates(_) => "invalid_updates",
            ApiError::InvalidEmail(_) => "invalid_email",
            ApiError::SignInThrottled { .. } => "sign_in_throttled",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> StatusCode {
        self.status()
    }
}

impl ApiError {
    /// A store failure while taking a submission: as [`From<StoreError>`], and
    /// when the store is unavailable the message tells the sender what that
    /// means for the response.
    pub fn while_storing_response(error: StoreError) -> ApiError {
        match error {
            StoreError::Unavailable(_)
            | StoreError::Locked { .. }
            | StoreError::Open { .. }
            | StoreError::Database { .. } => ApiError::Unavailable(format!(
                "{error}; the response is not confirmed as stored, and sending it again with the same submission_id is safe"
            )),
            other => ApiError::from(other),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Unavailable(_)
            | StoreError::Locked { .. }
            | StoreError::Open { .. }
            | StoreError::Database { .. } => ApiError::Unavailable(format!(
                "{error}; it is not confirmed as done: try again once /healthz answers 200"
            )),
            StoreError::VersionConflict { .. } => ApiError::VersionConflict(error.to_string()),
            StoreError::UpdatesDoNotFit { .. } => ApiError::BadRequest {
                message: error.to_string(),
            },
            StoreError::Corrupt(_) => ApiError::Internal(error.to_string()),
        }
    }
}

/// A refused account change: the store's failures as everywhere else (a full
/// disk is 503 with the reason), a bad name or password as the caller's mistake.
impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> ApiError {
        match error {
            AccountError::Store(error) => error.into(),
            AccountError::BadName(_)
            | AccountError::Password(_)
            | AccountError::NoSurveys
            | AccountError::SurveysForOtherRole
            | AccountError::NoSuchSurvey(_)
            | AccountError::InterviewerToken => ApiError::BadRequest {
                message: error.to_string(),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::warn!(code = self.code(), message = %self, "request failed");
        }
        let details = match &self {
            ApiError::InvalidAnswers(problems) => json!(problems),
            ApiError::InvalidSurvey(problems) | ApiError::InvalidUpdates(problems) => json!(
                problems
                    .iter()
                    .map(|p| json!({"path": p.path(), "message": p.message()}))
                    .collect::<Vec<_>>()
            ),
            _ => json!([]),
        };
        let body = json!({"error": self.code(), "message": self.to_string(), "details": details});
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let ApiError::Unauthorized(_) = &self {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"voices\""),
            );
        }
        if let ApiError::RateLimited { retry_after } | ApiError::SignInThrottled { retry_after } =
            &self
        {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
        }
        if let ApiError::Unavailable(_) = &self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}
