//! `GET /api/admin/surveys/{id}/responses`: a survey's responses, streamed as
//! they are read from the store, so memory stays flat however many there are.
//!
//! The export runs on a blocking thread and writes into a bounded channel that
//! the response body drains: a slow client slows the export, not the heap.
//! A failure before the first byte is answered with a proper status; a failure
//! later aborts the body, so a truncated file is never mistaken for a whole one.

use std::io::{self, Write};
use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use voices_shared::Survey;

use super::actions::record;
use super::guard::Staff;
use crate::AppState;
use crate::catalog::Published;
use crate::error::ApiError;
use crate::export::{self, ExportError, ExportQuery};
use crate::store::AuditEvent;

/// Bytes gathered before a chunk goes to the client.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight between the export thread and the client.
const CHUNKS_IN_FLIGHT: usize = 8;

type Chunk = Result<Bytes, ExportError>;

/// An `io::Write` that sends full chunks down the channel.
struct ChunkWriter {
    sender: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

fn refused(error: ExportError) -> ApiError {
    match error {
        ExportError::Store(error) => error.into(),
        ExportError::NoSuchVersion { .. } => ApiError::NotFound(error.to_string()),
        ExportError::TooManyRows { .. } | ExportError::TooManyColumns { .. } => {
            ApiError::BadRequest {
                message: error.to_string(),
            }
        }
        other => ApiError::Internal(other.to_string()),
    }
}

/// `GET /api/admin/surveys/{id}/responses?format=&from=&to=&version=&labels=`
pub async fn download(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let (format, options) = match query.parse() {
        Ok(parsed) => parsed,
        // The survey page's form, in a browser: the page again with the problem at its
        // field, not the API's JSON.
        Err(error)
            if crate::pages::wants_a_page(&headers) && state.catalog().latest(&id).is_some() =>
        {
            return Ok(super::pages::survey_with_download_problem(
                &state, &staff, &id, &query, &error,
            )
            .await);
        }
        Err(error) => {
            return Err(ApiError::BadRequest {
                message: error.to_string(),
            });
        }
    };
    // Who recorded a response with someone is for admins to see.
    let options = export::ExportOptions {
        collected_by: staff.role == crate::store::Role::Admin,
        ..options
    };
    let versions: Vec<Arc<Published>> = state.catalog().versions(&id);
    if versions.is_empty() {
        return Err(ApiError::NotFound(format!("there is no survey \"{id}\"")));
    }
    let (sender, mut receiver) = mpsc::channel::<Chunk>(CHUNKS_IN_FLIGHT);
    let store = state.store();
    let survey_id = id.clone();
    let actor = staff.name.clone();
    tokio::task::spawn_blocking(move || {
        let surveys: Vec<&Survey> = versions.iter().map(|p| &p.survey).collect();
        let mut out = ChunkWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let written = export::write(
            format,
            &mut out,
            &surveys,
            &options,
            options.read(store.as_ref(), &survey_id),
        )
        .and_then(|rows| out.flush().map(|()| rows).map_err(ExportError::from));
        match written {
            Ok(rows) => {
                let event = AuditEvent::Downloaded {
                    survey: survey_id,
                    format: format.as_str().to_owned(),
                    rows,
                };
                if let Err(error) = record(store.as_ref(), &actor, event) {
                    tracing::warn!(%error, "a download could not be written to the audit log");
                }
            }
            Err(error) => {
                tracing::warn!(survey = %survey_id, %error, "a download failed");
                let _ = sender.blocking_send(Err(error));
            }
        }
    });
    // Wait for the first chunk: an export refused before writing anything
    // gets a real status instead of a broken 200.
    let first = match receiver.recv().await {
        Some(Ok(chunk)) => chunk,
        Some(Err(error)) => return Err(refused(error)),
        None => {
            return Err(ApiError::Internal(
                "the export stopped without writing anything".into(),
            ));
        }
    };
    let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let item = receiver.recv().await?;
        Some((item.map_err(|e| io::Error::other(e.to_string())), receiver))
    });
    let body = Body::from_stream(
        futures_util::stream::once(async move { Ok::<_, io::Error>(first) }).chain(rest),
    );
    let stamp = OffsetDateTime::now_utc();
    let filename = format!(
        "{id}-responses-{:04}{:02}{:02}-{:02}{:02}.{}",
        stamp.year(),
        u8::from(stamp.month()),
        stamp.day(),
        stamp.hour(),
        stamp.minute(),
        format.extension()
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
