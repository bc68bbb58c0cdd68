//! `POST /api/surveys/{id}/collected`: where a collecting device sends what staff recorded
//! with people, sealed (see [`crate::sealed`]), with its collection credential as a bearer
//! token. No staff session is needed (it may have expired while the tablet was without
//! signal); the credential says who collected, for which survey and how, and the channel
//! comes from it, never from the device.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use time::OffsetDateTime;

use crate::AppState;
use crate::api::{Collected, parse_submission, read_body, receipt_response, store_submission};
use crate::error::ApiError;
use crate::sealed::{self, Envelope, SealError};
use crate::staff::actions::record;
use crate::staff::credentials::digest;
use crate::store::{AuditEvent, Collection};

/// The credential a request carries, checked: known, not revoked or expired, for this
/// survey, and its account still there and still allowed to collect for it.
fn check_credential(
    store: &dyn crate::store::Store,
    secret_hash: &str,
    survey_id: &str,
    now: OffsetDateTime,
) -> Result<Collection, ApiError> {
    let collection = store
        .collection_by_hash(secret_hash)
        .map_err(ApiError::while_storing_response)?
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "this collection credential is not known to the collector: sign in on /admin/collect and start collecting again".into(),
            )
        })?;
    if collection.revoked_at.is_some() {
        return Err(ApiError::Unauthorized(
            "this device's collection credential was revoked by an admin: sign in on /admin/collect and start collecting again to send what it holds".into(),
        ));
    }
    if collection.expires_at <= now {
        return Err(ApiError::Unauthorized(format!(
            "this device's collection credential expired on {}: sign in on /admin/collect and start collecting again to send what it holds",
            crate::staff::html::when(collection.expires_at)
        )));
    }
    if collection.survey_id != survey_id {
        return Err(ApiError::Forbidden(format!(
            "this collection credential is for survey \"{}\", not \"{survey_id}\"",
            collection.survey_id
        )));
    }
    let user = store
        .user(&collection.user)
        .map_err(ApiError::while_storing_response)?;
    match user {
        Some(user) if user.may_collect(survey_id) => Ok(collection),
        Some(_) => Err(ApiError::Forbidden(format!(
            "{} may no longer collect responses for survey \"{survey_id}\"",
            collection.user
        ))),
        None => Err(ApiError::Unauthorized(format!(
            "the account \"{}\" that started collecting on this device was removed",
            collection.user
        ))),
    }
}

/// The credential whose key sealed `envelope`: the one sending it, or an earlier one of the
/// same account and survey (a device that started again, or whose credential expired, with
/// responses still waiting). Never one revoked: what a lost tablet sealed stays out.
fn sealing_credential(
    store: &dyn crate::store::Store,
    sending: &Collection,
    envelope: &Envelope,
) -> Result<Collection, ApiError> {
    if envelope.credential == sending.id {
        return Ok(sending.clone());
    }
    let sealer = store
        .collection(&envelope.credential)
        .map_err(ApiError::while_storing_response)?;
    match sealer {
        Some(sealer) if sealer.revoked_at.is_some() => {
            Err(ApiError::SealedWithOtherCredential(format!(
                "credential: the response was sealed with credential {}, which an admin revoked",
                Collection::short_id(&sealer.id)
            )))
        }
        Some(sealer) if sealer.survey_id == sending.survey_id && sealer.user == sending.user => {
            Ok(sealer)
        }
        _ => Err(ApiError::SealedWithOtherCredential(format!(
            "credential: the response was sealed with a credential (\"{}\") that is not one of {}'s for this survey; send it with the credential of whoever recorded it",
            Collection::short_id(&envelope.credential),
            sending.user
        ))),
    }
}

/// `POST /api/surveys/{id}/collected`: opens a sealed response, checks it with `shared`
/// like any other, and stores it once per `submission_id`, as recorded with someone by the
/// credential's account.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state
        .catalog()
        .latest(&id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))?;
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "send the device's collection credential as \"Authorization: Bearer CREDENTIAL\"; a device gets one when staff start collecting on /admin/collect".into(),
            )
        })?;
    let secret_hash = digest(secret);
    // The credential first: nobody without one has a body read, let alone opened.
    let survey_id = id.clone();
    let sending = state
        .with_store(move |store| {
            check_credential(
                store.as_ref(),
                &secret_hash,
                &survey_id,
                OffsetDateTime::now_utc(),
            )
        })
        .await?;
    // Sealed, a response is about a third longer than itself.
    let limit = state.config().body_limit.saturating_mul(3) / 2;
    let bytes = read_body(body, limit).await?;
    let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest {
        message: format!("the body is not a sealed response: {e}"),
    })?;
    let (sealer, envelope) = state
        .with_store(move |store| {
            let sealer = sealing_credential(store.as_ref(), &sending, &envelope)?;
            Ok((sealer, envelope))
        })
        .await?;
    let plain = sealed::open(&sealer.private_key, &envelope).map_err(|e| match e {
        // The store's fault, not the device's: it must keep the response and try again.
        SealError::BadPrivateKey => ApiError::Internal(e.to_string()),
        other => ApiError::BadRequest {
            message: other.to_string(),
        },
    })?;
    if plain.len() > state.config().body_limit {
        return Err(ApiError::TooLarge {
            limit: state.config().body_limit,
        });
    }
    let mut submission = parse_submission(&plain)?;
    if uuid::Uuid::try_parse(&envelope.submission_id).ok() != Some(submission.submission_id) {
        return Err(ApiError::BadRequest {
            message: "submission_id: the sealed response's id differs from the one outside it"
                .into(),
        });
    }
    // How it was recorded is the credential's to say.
    submission.channel = sealer.channel;
    let collected = Collected {
        by: sealer.user.clone(),
        issued_at: sealer.issued_at,
    };
    let (created, receipt) = store_submission(&state, &id, submission, Some(collected)).await?;
    if created {
        let (actor, survey, channel, receipt) =
            (sealer.user, id.clone(), sealer.channel, receipt.clone());
        // The response is on disk and the device must hear so; an audit line that could not
        // be written is said in the log rather than answered as a failure (a retry would
        // not write it either, being a retry).
        let audited = state
            .with_store(move |store| {
                Ok(record(
                    store.as_ref(),
                    &actor,
                    AuditEvent::Collected {
                        survey,
                        receipt,
                        channel,
                    },
                )?)
            })
            .await;
        if let Err(error) = audited {
            tracing::warn!(%error, survey = %id, "a collected response was stored, but not written to the audit log");
        }
    }
    tracing::debug!(survey = %id, "collected response received");
    Ok(receipt_response(created, &receipt))
}
