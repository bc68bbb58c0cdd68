//! What staff can do, whichever way they ask (a page's form, the JSON API or
//! the command line): publish, erase, manage accounts and tokens, and have it
//! written in the audit log.

use time::OffsetDateTime;
use voices_shared::{Channel, Survey};

use super::credentials::{PasswordError, digest, hash_password, new_secret};
use super::guard::Staff;
use crate::AppState;
use crate::error::ApiError;
use crate::store::{
    AuditEntry, AuditEvent, Collection, PublishOutcome, Role, StaffToken, StaffUser, Store,
    StoreError, StoredResponse,
};

/// Appends to the audit log and makes it durable.
pub fn record(store: &dyn Store, actor: &str, event: AuditEvent) -> Result<(), StoreError> {
    store.append_audit(&AuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: actor.to_owned(),
        event,
    })?;
    store.flush()
}

/// Publishes a definition sent by a member of staff. `expected_id` is the id
/// in the URL, when there is one: it must match the definition's.
pub async fn publish(
    state: &AppState,
    staff: &Staff,
    definition: &str,
    expected_id: Option<&str>,
) -> Result<(PublishOutcome, Survey), ApiError> {
    let survey = Survey::parse(definition).map_err(ApiError::InvalidSurvey)?;
    if let Some(expected) = expected_id
        && survey.id() != expected
    {
        return Err(ApiError::BadRequest {
            message: format!(
                "id: the definition's id is \"{}\" but the address names survey \"{expected}\"",
                survey.id()
            ),
        });
    }
    let state_for_task = state.clone();
    let actor = staff.name.clone();
    let kept = survey.clone();
    let outcome = state
        .with_store(move |store| {
            let (id, version) = (survey.id().to_owned(), survey.version());
            let outcome = state_for_task.catalog().publish(store.as_ref(), survey)?;
            if outcome == PublishOutcome::Published {
                record(
                    store.as_ref(),
                    &actor,
                    AuditEvent::Published {
                        survey: id,
                        version,
                    },
                )?;
            }
            Ok(outcome)
        })
        .await?;
    Ok((outcome, kept))
}

/// Changes a survey's updates (`change` gets them as they are and gives them as they are
/// to be, or refuses with its problems), and writes who changed them in the audit log.
pub async fn change_updates<E: Send + 'static>(
    state: &AppState,
    staff: &Staff,
    id: &str,
    change: impl FnMut(
        &voices_shared::outcomes::Outcomes,
    ) -> Result<voices_shared::outcomes::Outcomes, E>
    + Send
    + 'static,
) -> Result<Result<std::sync::Arc<crate::catalog::Told>, E>, ApiError> {
    let state_for_task = state.clone();
    let actor = staff.name.clone();
    let id = id.to_owned();
    let changed = state
        .with_store(move |store| {
            let told = match state_for_task
                .catalog()
                .change_updates(store.as_ref(), &id, change)
            {
                Ok(told) => told,
                Err(crate::catalog::ChangeRefused::Change(problems)) => return Ok(Err(problems)),
                Err(crate::catalog::ChangeRefused::Store(error)) => return Err(error.into()),
            };
            let updates = told.outcomes.updates();
            record(
                store.as_ref(),
                &actor,
                AuditEvent::UpdatesChanged {
                    survey: id,
                    updates: updates.len() as u64,
                    published: updates.iter().filter(|u| u.is_published()).count() as u64,
                },
            )?;
            Ok(Ok(told))
        })
        .await;
    // A newly published update may have queued emails.
    if matches!(changed, Ok(Ok(_))) {
        state.mail_wake().notify_one();
    }
    changed
}

/// Erases the response with this receipt (written however the person reads it out).
pub async fn erase(
    state: &AppState,
    staff: &Staff,
    receipt: &str,
) -> Result<StoredResponse, ApiError> {
    let Some(receipt) = crate::receipt::Receipt::parse(receipt) else {
        return Err(ApiError::NotFound(format!(
            "\"{}\" is not a receipt: receipts look like K7QF-3MXD",
            receipt.trim()
        )));
    };
    let actor = staff.name.clone();
    let counts = state.clone();
    state
        .with_store(move |store| {
            let erased = counts
                .counts()
                .erase(store.as_ref(), receipt.as_str())?
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "no response has the receipt {receipt}; it may have been erased already"
                    ))
                })?;
            record(
                store.as_ref(),
                &actor,
                AuditEvent::Erased {
                    survey: erased.survey_id.clone(),
                    receipt: receipt.to_string(),
                },
            )?;
            Ok(erased)
        })
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("\"{0}\" is not a usable name: use 1 to 64 letters, digits, '.', '-', '_' or '@'")]
    BadName(String),
    #[error("an interviewer needs at least one survey to collect responses for")]
    NoSurveys,
    #[error(
        "only an interviewer is given surveys: analysts and admins may collect for every survey"
    )]
    SurveysForOtherRole,
    #[error("there is no published survey \"{0}\" to collect responses for")]
    NoSuchSurvey(String),
    #[error(
        "tokens are for scripts, and an interviewer only records responses: sign in on a tablet at /admin/collect instead"
    )]
    InterviewerToken,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks a user or token name: short, and safe to show anywhere.
pub fn check_name(name: &str) -> Result<(), AccountError> {
    let ok = (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadName(name.to_owned()))
    }
}

/// Checks the surveys given with a role: an interviewer needs published ones, the other
/// roles none (they may collect for every survey).
pub fn check_surveys(
    store: &dyn Store,
    role: Role,
    surveys: &[String],
) -> Result<(), AccountError> {
    if role != Role::Interviewer {
        return match surveys.is_empty() {
            true => Ok(()),
            false => Err(AccountError::SurveysForOtherRole),
        };
    }
    if surveys.is_empty() {
        return Err(AccountError::NoSurveys);
    }
    let published = store.surveys()?;
    match surveys
        .iter()
        .find(|wanted| !published.iter().any(|s| &s.id == *wanted))
    {
        Some(missing) => Err(AccountError::NoSuchSurvey(missing.clone())),
        None => Ok(()),
    }
}

/// Adds a member of staff, or gives an existing one a new password, role and surveys, and
/// ends their sessions on every collector: a new password or role takes effect at once, not
/// at their next sign-in. Returns whether one was replaced.
pub fn add_user(
    store: &dyn Store,
    actor: &str,
    name: &str,
    role: Role,
    surveys: &[String],
    password: &str,
) -> Result<bool, AccountError> {
    check_name(name)?;
    check_surveys(store, role, surveys)?;
    let password_hash = hash_password(password)?;
    let replaced = store.user(name)?.is_some();
    let mut surveys = surveys.to_vec();
    surveys.sort();
    surveys.dedup();
    store.put_user(&StaffUser {
        name: name.to_owned(),
        role,
        password_hash,
        created_at: OffsetDateTime::now_utc(),
        surveys: surveys.clone(),
    })?;
    // After the change, so no sign-in with the old password outlives it.
    store.end_sessions_of(name)?;
    record(
        store,
        actor,
        AuditEvent::UserAdded {
            user: name.to_owned(),
            role,
            surveys,
        },
    )?;
    Ok(replaced)
}

/// Removes a member of staff, ends their sessions, and revokes the credentials of the
/// devices they collect on (an account added again by the same name does not bring them
/// back); false if there was none by that name.
pub fn remove_user(store: &dyn Store, actor: &str, name: &str) -> Result<bool, AccountError> {
    let removed = store.remove_user(name)?;
    store.end_sessions_of(name)?;
    for collection in store.collections()? {
        if collection.user == name && collection.revoked_at.is_none() {
            revoke_collection(store, actor, &collection.id)?;
        }
    }
    if removed {
        record(
            store,
            actor,
            AuditEvent::UserRemoved {
                user: name.to_owned(),
            },
        )?;
    }
    Ok(removed)
}

/// Creates a token (replacing one of the same name) and returns it: the only
/// time it exists outside the script that will use it.
pub fn create_token(
    store: &dyn Store,
    actor: &str,
    name: &str,
    role: Role,
) -> Result<String, AccountError> {
    check_name(name)?;
    if role == Role::Interviewer {
        return Err(AccountError::InterviewerToken);
    }
    let token = new_secret();
    store.put_token(&StaffToken {
        name: name.to_owned(),
        role,
        token_hash: digest(&token),
        created_at: OffsetDateTime::now_utc(),
    })?;
    record(
        store,
        actor,
        AuditEvent::TokenCreated {
            token: name.to_owned(),
            role,
        },
    )?;
    Ok(token)
}

/// Revokes a token; false if there was none by that name.
pub fn revoke_token(store: &dyn Store, actor: &str, name: &str) -> Result<bool, AccountError> {
    let revoked = store.revoke_token(name)?;
    if revoked {
        record(
            store,
            actor,
            AuditEvent::TokenRevoked {
                token: name.to_owned(),
            },
        )?;
    }
    Ok(revoked)
}

/// How long a device may send what it recorded without its holder signing in again: a
/// weekend's events and the journey back.
pub const COLLECTION_DAYS: i64 = 4;

/// Why a device may not start collecting.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(
        "{0} is not given survey \"{1}\" to collect responses for; an admin can add it on the Accounts page"
    )]
    NotAssigned(String, String),
    #[error(
        "\"{0}\" is recorded only by a person's own device; collect face_to_face, phone or paper"
    )]
    NotStaffChannel(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Gives a device a credential to send what it records for `survey_id` through `channel`
/// (face to face, phone, paper) for [`COLLECTION_DAYS`]: the secret it sends, once, and the
/// credential (with the public key the device seals with). Audited.
pub fn start_collecting(
    store: &dyn Store,
    user: &StaffUser,
    survey_id: &str,
    channel: Channel,
) -> Result<(String, Collection), CollectError> {
    if !user.may_collect(survey_id) {
        return Err(CollectError::NotAssigned(
            user.name.clone(),
            survey_id.to_owned(),
        ));
    }
    if channel.is_own_device() {
        return Err(CollectError::NotStaffChannel(channel.as_str()));
    }
    let secret = new_secret();
    let (private_key, _) = crate::sealed::new_key_pair();
    let now = OffsetDateTime::now_utc();
    let collection = Collection {
        // Public, but unguessable all the same: it names a key, and no one should list them.
        id: new_secret()[..32].to_owned(),
        user: user.name.clone(),
        survey_id: survey_id.to_owned(),
        channel,
        secret_hash: digest(&secret),
        private_key,
        issued_at: now,
        expires_at: now + time::Duration::days(COLLECTION_DAYS),
        revoked_at: None,
    };
    store.put_collection(&collection)?;
    record(
        store,
        &user.name,
        AuditEvent::CollectionStarted {
            survey: survey_id.to_owned(),
            channel,
            credential: collection.id.clone(),
        },
    )?;
    Ok((secret, collection))
}

/// Revokes a collection credential: what the device sends with it is refused from now on.
/// False if there is none by that id, or it was revoked already.
pub fn revoke_collection(store: &dyn Store, actor: &str, id: &str) -> Result<bool, StoreError> {
    let Some(mut collection) = store.collection(id)? else {
        return Ok(false);
    };
    if collection.revoked_at.is_some() {
        return Ok(false);
    }
    collection.revoked_at = Some(OffsetDateTime::now_utc());
    store.put_collection(&collection)?;
    record(
        store,
        actor,
        AuditEvent::CollectionRevoked {
            credential: id.to_owned(),
        },
    )?;
    Ok(true)
}

/// Reads the area's figures (a CSV) against the survey's newest version and, when they
/// fit, stores them in place of any before, on disk and in the audit log before it
/// returns. Figures that do not fit are refused with every problem, and nothing is kept.
pub async fn load_population(
    state: &AppState,
    staff: &Staff,
    id: &str,
    csv: &str,
) -> Result<Result<crate::population::Population, Vec<String>>, ApiError> {
    let published = crate::api::latest(state, id)?;
    let population = match crate::population::Population::read(csv, &published.survey) {
        Ok(population) => population,
        Err(problems) => return Ok(Err(problems)),
    };
    let (csv, survey_id, actor) = (csv.to_owned(), id.to_owned(), staff.name.clone());
    let groups = population.groups.len() as u64;
    state
        .with_store(move |store| {
            store.put_population(&survey_id, &csv)?;
            // The audit record's flush makes the figures durable too.
            record(
                store.as_ref(),
                &actor,
                AuditEvent::PopulationLoaded {
                    survey: survey_id.clone(),
                    groups,
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(Ok(population))
}
