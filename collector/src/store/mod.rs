//! The collector's storage: survey definitions and responses, behind the [`Store`] trait.
//!
//! Only the `sled_store` submodule names sled, and only `postgres_store` names
//! PostgreSQL; everything else talks to the trait, so the engine can change without
//! touching the HTTP layer. [`StoreLocation`] says which one a command uses: a data
//! directory (`--data`, the default) or a database (`--store postgres://...`).
//! [`MoveSource`] and [`MoveTarget`] move a data directory into a database
//! (`voices-collector migrate`).

mod postgres_store;
mod sled_store;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use voices_shared::{Answers, Channel, SpecifyTexts, ValidResponse};

pub use postgres_store::PostgresStore;
pub use sled_store::SledStore;

use crate::receipt::Receipt;

/// A published definition, as stored: the survey's canonical JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSurvey {
    pub id: String,
    pub version: u32,
    pub definition: String,
}

/// What publishing a definition did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishOutcome {
    /// A new (id, version) was stored.
    Published,
    /// The very same definition was already stored under that version.
    AlreadyPublished,
}

/// One stored response with its metadata. Nothing about the respondent's
/// device or network is here, by design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub receipt: Receipt,
    pub survey_id: String,
    pub survey_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub submission_id: Uuid,
    pub locale: String,
    pub channel: Channel,
    pub answers: Answers,
    #[serde(default, skip_serializing_if = "SpecifyTexts::is_empty")]
    pub specify: SpecifyTexts,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub started_at: Option<OffsetDateTime>,
    /// SHA-256 (hex) of the withdrawal key the sending device keeps: with it, that device
    /// alone can withdraw the response. Never exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_hash: Option<String>,
    /// The account that recorded it with someone (face to face, by phone, from paper), from
    /// the collection credential it came with: staff-only, exported for admins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_by: Option<String>,
}

impl StoredResponse {
    pub fn new(
        survey_id: &str,
        response: ValidResponse,
        receipt: Receipt,
        now: OffsetDateTime,
    ) -> StoredResponse {
        let submission = response.into_submission();
        StoredResponse {
            receipt,
            survey_id: survey_id.to_owned(),
            survey_version: submission.survey_version,
            submitted_at: now,
            submission_id: submission.submission_id,
            locale: submission.locale,
            channel: submission.channel,
            answers: submission.answers,
            specify: submission.specify,
            started_at: submission.started_at,
            withdrawal_hash: submission
                .withdrawal_key
                .as_deref()
                .map(crate::staff::credentials::digest),
            collected_by: None,
        }
    }

    /// The day (UTC) it was stored on, as it is counted by day. The collector stamps
    /// submissions in UTC; converted all the same, so a day never depends on how a time
    /// was written.
    pub fn day(&self) -> time::Date {
        let at = self.submitted_at;
        at.checked_to_offset(time::UtcOffset::UTC)
            .unwrap_or(at)
            .date()
    }

    /// The response as exports write it: without the withdrawal key's hash, which is the
    /// sending device's business and no one else's, and without who collected it unless
    /// the export is an admin's (`collected_by`).
    pub fn for_export(mut self, collected_by: bool) -> StoredResponse {
        self.withdrawal_hash = None;
        if !collected_by {
            self.collected_by = None;
        }
        self
    }

    /// Whether `other` carries the same answers: a retry, not a different
    /// response reusing a submission id. When it started is not part of that.
    pub fn same_answers(&self, other: &StoredResponse) -> bool {
        self.survey_id == other.survey_id
            && self.survey_version == other.survey_version
            && self.locale == other.locale
            && self.channel == other.channel
            && self.answers == other.answers
            && self.specify == other.specify
    }
}

/// A member of staff who signs in on `/admin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffUser {
    pub name: String,
    pub role: Role,
    /// The argon2id hash in PHC string form (algorithm, parameters and salt included).
    pub password_hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The surveys an interviewer may collect responses for (an admin's choice); empty for
    /// the other roles, which may collect for any survey.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surveys: Vec<String>,
}

impl StaffUser {
    /// Whether this account may record responses for `survey_id` with someone.
    pub fn may_collect(&self, survey_id: &str) -> bool {
        self.role.may_collect(&self.surveys, survey_id)
    }
}

/// What lets one device send the responses recorded on it for one survey, for a few days,
/// whether or not its staff session is still alive: issued when a member of staff starts
/// collecting, revocable by an admin, good for nothing else. Its secret is kept as a digest;
/// its private key opens what the device sealed with the matching public key, so the
/// answers waiting on the device cannot be read there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    /// Public: names the key a sealed response was sealed with.
    pub id: String,
    /// The account that started collecting, recorded as `collected_by`.
    pub user: String,
    pub survey_id: String,
    /// How the answers are recorded (face to face, phone, paper): set here, never by the
    /// device.
    pub channel: Channel,
    /// SHA-256 (hex) of the secret the device sends.
    pub secret_hash: String,
    /// The P-256 private key (hex) that opens what the device sealed. Never leaves the
    /// collector.
    pub private_key: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub revoked_at: Option<OffsetDateTime>,
}

impl Collection {
    /// The first 8 characters of a credential's id, as the Accounts page and messages show
    /// it (`id` may come from a device, so any text).
    pub fn short_id(id: &str) -> String {
        id.chars().take(8).collect()
    }
}

/// A bearer token for scripts. Only a hash of the token is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffToken {
    pub name: String,
    pub role: Role,
    /// SHA-256 of the token, hex: tokens are 256 random bits, so a fast hash is enough.
    pub token_hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A signed-in member of staff, as the store keeps it, under the SHA-256 digest of the
/// secret in its cookie (the secret itself is never stored). Kept in the store, not in one
/// collector's memory, so that a session started on one collector works on every collector
/// sharing the store, and ends on all of them at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffSession {
    pub user: String,
    /// The role when the session started (which page to start on); each request reads the
    /// account's role as it is now.
    pub role: Role,
    /// The token every form of this session sends back: useless without the session's cookie.
    pub csrf: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// When it was last used, to within [`SESSION_SEEN_EVERY`].
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
    /// Unused for longer than this many seconds, it has ended.
    pub idle_seconds: u64,
    /// It ends then, however much it is used.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// How stale a session's `last_seen` may get before a request writes it again: one write a
/// minute per session, not one per request, at the cost of an idle timeout a minute short.
pub const SESSION_SEEN_EVERY: Duration = Duration::from_secs(60);

impl StaffSession {
    /// When it ends unless it is used again: after its idle time, or at its absolute end.
    pub fn ends_at(&self) -> OffsetDateTime {
        let idle = time::Duration::seconds(i64::try_from(self.idle_seconds).unwrap_or(i64::MAX));
        self.last_seen
            .checked_add(idle)
            .map_or(self.expires_at, |idle_end| idle_end.min(self.expires_at))
    }

    /// Whether it is still live at `now`.
    pub fn live_at(&self, now: OffsetDateTime) -> bool {
        now <= self.ends_at()
    }

    /// Whether a request at `now` should write its `last_seen` again.
    fn stale_at(&self, now: OffsetDateTime) -> bool {
        now - self.last_seen > SESSION_SEEN_EVERY
    }

    /// Itself, seen at `now`.
    fn seen(&self, now: OffsetDateTime) -> StaffSession {
        StaffSession {
            last_seen: now,
            ..self.clone()
        }
    }
}

/// One brake on failed sign-ins: whom it counts against (`who`, any text that names them,
/// an address included: the store keeps only a digest of it, keyed with a secret of its
/// own) and how many failures it lets through before each further attempt must wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brake {
    pub who: String,
    pub free_failures: u32,
}

/// The longest wait between two attempts. Also how long a brake remembers: its failures
/// are forgotten, and its row deleted, this long after the last one.
pub const BRAKE_MEMORY: Duration = Duration::from_secs(15 * 60);

/// What beginning a sign-in attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInBegun {
    /// It was counted as a failure against each of its brakes (until
    /// [`Store::sign_in_succeeded`] says otherwise): its password may be checked.
    Counted,
    /// A brake is on: nothing was counted, and this long must pass first.
    Wait(Duration),
}

/// Failed sign-ins counted against one brake, as each store keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Failures {
    count: u32,
    #[serde(with = "time::serde::rfc3339")]
    last: OffsetDateTime,
}

impl Failures {
    /// When the next attempt may be made: at once while failures are free, then 1 s, 2 s,
    /// 4 s, ... after the last, doubling with every failure past the free ones, at most
    /// [`BRAKE_MEMORY`].
    fn next_attempt(&self, free: u32) -> OffsetDateTime {
        // No failures (a row just made, on PostgreSQL) never wait, whatever the allowance.
        if self.count == 0 || self.count < free {
            return self.last;
        }
        let doublings = (self.count - free).min(16);
        let wait = Duration::from_secs(1u64 << doublings).min(BRAKE_MEMORY);
        // A stored time at the end of the calendar (a damaged row) waits for nothing.
        self.last
            .checked_add(time::Duration::try_from(wait).unwrap_or_default())
            .unwrap_or(self.last)
    }

    /// Whether a quiet spell has forgiven them by `now`.
    fn forgotten_at(&self, now: OffsetDateTime) -> bool {
        now - self.last > BRAKE_MEMORY
    }
}

/// The brakes' one rule, which every store applies to what it read under its lock:
/// given each brake's failures so far, either how long the attempt must wait (nothing
/// counted), or each brake's failures with this attempt counted.
fn count_attempt(
    brakes: &[(&Brake, Option<Failures>)],
    now: OffsetDateTime,
) -> Result<Vec<Failures>, Duration> {
    let wait = brakes
        .iter()
        .filter_map(|(brake, failures)| {
            let next = failures.as_ref()?.next_attempt(brake.free_failures);
            Some(Duration::try_from(next - now).unwrap_or_default())
        })
        .max()
        .unwrap_or_default();
    if !wait.is_zero() {
        return Err(wait);
    }
    Ok(brakes
        .iter()
        .map(|(_, failures)| {
            let before = failures
                .filter(|f| !f.forgotten_at(now))
                .map_or(0, |f| f.count);
            Failures {
                count: before.saturating_add(1),
                last: now,
            }
        })
        .collect())
}

/// The key a brake is kept under: HMAC-SHA-256 of whom it counts, with the store's own
/// secret, in hex. Never the address or name itself: the project stores no IP address.
/// (Someone who copies the store gets the secret too and could test guesses against a
/// row, so rows are also deleted [`BRAKE_MEMORY`] after their last failure.)
fn brake_key(secret: &[u8], brake: &Brake) -> Result<String, StoreError> {
    use hmac::Mac;
    // HMAC takes a key of any length: this fails only if that ever changes.
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret)
        .map_err(|e| StoreError::Corrupt(format!("the brakes' secret: {e}")))?;
    mac.update(brake.who.as_bytes());
    Ok(crate::staff::credentials::hex(&mac.finalize().into_bytes()))
}

/// A new secret, 256 random bits: the key of [`brake_key`], or of the receipts a store
/// derives (see [`Store::first_receipt`]).
fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 32];
    // The OS random source failing leaves nothing safe to do: refuse to go on.
    getrandom::fill(&mut secret).expect("the operating system's random source failed");
    secret
}

/// What a member of staff may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees counts and downloads responses.
    Analyst,
    /// Also publishes surveys, erases responses and reads the audit log.
    Admin,
    /// Records responses with people (face to face, by phone, from paper) for the surveys
    /// an admin assigns, and nothing else.
    Interviewer,
}

impl Role {
    /// Whether an account of this role, given `surveys` (an interviewer's), may record
    /// responses for `survey_id` with someone: the one rule, for stored accounts and for
    /// the member of staff behind a request alike.
    pub fn may_collect(self, surveys: &[String], survey_id: &str) -> bool {
        self != Role::Interviewer || surveys.iter().any(|s| s == survey_id)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Admin => "admin",
            Role::Interviewer => "interviewer",
        }
    }
}

/// One line of the audit log: who did what to which data, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The user or token name, or "collector" for what the collector did itself.
    pub actor: String,
    #[serde(flatten)]
    pub event: AuditEvent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AuditEvent {
    SignedIn,
    SignInRefused,
    SignedOut,
    Downloaded {
        survey: String,
        format: String,
        rows: u64,
    },
    Erased {
        survey: String,
        receipt: String,
    },
    Published {
        survey: String,
        version: u32,
    },
    /// The person withdrew their response from the device that sent it.
    Withdrawn {
        survey: String,
        receipt: String,
    },
    Purged {
        survey: String,
        rows: u64,
        retention_days: u32,
    },
    /// A survey's updates were changed: how many there are now, and how many published.
    UpdatesChanged {
        survey: String,
        updates: u64,
        published: u64,
    },
    UserAdded {
        user: String,
        role: Role,
        /// An interviewer's surveys.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        surveys: Vec<String>,
    },
    UserRemoved {
        user: String,
    },
    TokenCreated {
        token: String,
        role: Role,
    },
    TokenRevoked {
        token: String,
    },
    /// A device was given a collection credential: its holder records responses for
    /// `survey` through `channel` until it expires or is revoked.
    CollectionStarted {
        survey: String,
        channel: Channel,
        credential: String,
    },
    /// A response recorded with someone was stored (the actor collected it).
    Collected {
        survey: String,
        receipt: String,
        channel: Channel,
    },
    CollectionRevoked {
        credential: String,
    },
    /// The area's figures a survey's reach is compared with were loaded.
    PopulationLoaded {
        survey: String,
        groups: u64,
    },
    /// One of a survey's pictures was published (or replaced).
    PicturePublished {
        survey: String,
        file: String,
    },
}

/// A person who asked to hear by email what came of a survey. Kept apart from the
/// responses, and with nothing that links it to one: no receipt, and the day it was made,
/// not the time. Never exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// 256 random bits in hex: the record's key, and the secret in every email's link
    /// that stops the emails.
    pub token: String,
    pub survey_id: String,
    pub email: String,
    /// The language the person answered in, for the emails' words and the updates' texts.
    pub locale: String,
    /// The day (UTC) it was made; retention counts from it.
    pub since: time::Date,
    /// The updates already queued for this person (or published before they asked):
    /// each update is sent once.
    pub told: Vec<String>,
    /// The survey's final update ("what we did") has been sent (or given up): the
    /// subscription is deleted as soon as nothing more is queued for it.
    #[serde(default)]
    pub ended: bool,
}

/// How a queued email left the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Sent, or given up after its last attempt. `last`: it was the survey's final
    /// update, so the address is deleted once nothing more is queued for it.
    Done { last: bool },
    /// Its update was taken back (unpublished or deleted) before it went: it counts as
    /// not told, and goes if the update is published again.
    TakenBack { last: bool },
    /// The relay will never deliver to this address: it is deleted, with all its emails.
    Undeliverable,
}

/// One email waiting to go: the update `update_id` of a survey, to one subscription.
/// The message is written when it is sent, from the subscription and the update as they
/// are then: a person who stops the emails, or an update taken back, sends nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailJob {
    pub token: String,
    pub survey_id: String,
    pub update_id: String,
    /// Failed attempts so far.
    pub attempts: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
}

/// What asking to subscribe did.
#[derive(Debug, Clone, PartialEq)]
pub enum Subscribed {
    Added,
    /// That address already gets this survey's updates: nothing changed.
    AlreadySubscribed,
    /// The survey's final update ("what we did") is out: there is nothing more to send,
    /// so no address is kept.
    Ended,
}

/// What inserting a response did.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertOutcome {
    Inserted,
    /// A response with the same submission id was already stored: this one.
    AlreadyStored(Box<StoredResponse>),
    /// A response with the same submission id was stored and then erased
    /// (by staff, by retention): it is never stored again.
    Erased,
    /// The receipt is already in use; draw another and try again.
    ReceiptTaken,
}

/// What the store knows of a submission id.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// Never stored.
    Unknown,
    Stored(Box<StoredResponse>),
    /// Stored once, then erased: only this tombstone remains, with no answers.
    Erased,
}

/// How many responses a survey got on one UTC day, to one version, by one
/// channel. The store keeps these in the same atomic write as the responses
/// themselves, so they are exact after a crash and cost nothing to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub day: time::Date,
    pub version: u32,
    pub channel: Channel,
    pub count: u64,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data directory {} is in use by another running collector; stop it first, or use another --data directory",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error("cannot use the data directory {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    /// A database the store cannot use as it is: its URL, its schema, its rights.
    /// `location` is the URL without its password.
    #[error("cannot use the database {location}: {reason}")]
    Database { location: String, reason: String },
    #[error(
        "version {version} of survey \"{id}\" is already published with different content; publish the change as a new version (for example {next})",
        next = u64::from(*version) + 1
    )]
    VersionConflict { id: String, version: u32 },
    #[error(
        "version {version} of survey \"{id}\" does not fit the survey's updates, which are read against its newest version; change the updates first (PUT /api/admin/surveys/{id}/outcomes): {problems}"
    )]
    UpdatesDoNotFit {
        id: String,
        version: u32,
        problems: String,
    },
    #[error("the store cannot take writes now: {0}")]
    Unavailable(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
}

/// Survey definitions and responses, durable once [`Store::flush`] returns.
pub trait Store: Send + Sync + 'static {
    /// Stores a definition under its (id, version). Refuses a different
    /// definition under an existing version: responses already name it.
    fn publish(
        &self,
        id: &str,
        version: u32,
        definition: &str,
    ) -> Result<PublishOutcome, StoreError>;

    /// Every stored definition, every version, ordered by id then version.
    fn surveys(&self) -> Result<Vec<StoredSurvey>, StoreError>;

    /// Stores a response unless one with the same (survey, submission id)
    /// exists, atomically: concurrent identical submissions store one.
    fn insert_response(&self, response: &StoredResponse) -> Result<InsertOutcome, StoreError>;

    // Group commit (issue 14): the writer hands each batch over in one call, so a store
    // whose every write is a commit (PostgreSQL) can make the batch one commit.
    /// Stores each of `responses` as [`Store::insert_response`] would, in order, and
    /// returns each one's outcome, in the same order. A store may store them together
    /// (one transaction); by default each is stored on its own. As with one response,
    /// they are durable once [`Store::flush`] has returned.
    fn insert_responses(
        &self,
        responses: &[StoredResponse],
    ) -> Vec<Result<InsertOutcome, StoreError>> {
        responses
            .iter()
            .map(|response| self.insert_response(response))
            .collect()
    }

    /// How many batches the collector's writer may have [`Store::insert_responses`] store
    /// at once. One where writes only contend with each other (sled's write path); more
    /// where a batch spends much of its time waiting for its commit, while the next one
    /// can already be inserted (a database server).
    fn batches_at_once(&self) -> usize {
        1
    }

    /// How long the writer, once busy, waits for more responses to join a batch before it
    /// stores it (see `writer`): worth it where each batch costs much whatever it holds.
    /// None by default.
    fn gathering(&self) -> Duration {
        Duration::ZERO
    }

    /// The receipt to offer a new response first: on sled derived from the submission,
    /// so that it finds the response by its submission (see its module docs); on
    /// PostgreSQL drawn at random. Taken by another response, it is answered
    /// [`InsertOutcome::ReceiptTaken`] and the writer draws another at random.
    fn first_receipt(&self, survey_id: &str, submission_id: Uuid) -> Receipt;

    /// What is known of a submission: stored, erased, or nothing.
    fn find_submission(
        &self,
        survey_id: &str,
        submission_id: Uuid,
    ) -> Result<Submitted, StoreError>;

    /// The responses to a survey, in the order they were stored, read lazily.
    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a>;

    /// The responses to a survey submitted between `from` and `to` (both
    /// included, either open), in order of `submitted_at`, read lazily in time
    /// order: a day's export reads that day's responses, not the survey's. One that
    /// cannot be read is left out (it has no time to be in a range by).
    fn responses_submitted<'a>(
        &'a self,
        survey_id: &str,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a>;

    /// The responses to a survey stored after position `after` (all of them for `None`),
    /// each with its position, in order of position. A response's position is fixed when
    /// it is stored, and whatever this does not return now (stored later, or still on its
    /// way) has a position larger than every one it returns, so a reader that remembers
    /// the last position it saw reads only what came since, and misses nothing. (On
    /// PostgreSQL, where inserts commit in any order, this reads no further than the
    /// position every insert in flight has passed.)
    fn responses_after<'a>(
        &'a self,
        survey_id: &str,
        after: Option<u64>,
    ) -> Box<dyn Iterator<Item = Result<(u64, StoredResponse), StoreError>> + Send + 'a>;

    /// A mark that moves whenever responses of `survey_id` that a reader may have counted
    /// can have gone: an erasure or a purge, by this collector or another on the same
    /// store, or (sled) a reopen from disk after a failed write (see [`Store::recover`]),
    /// which drops what only reached memory. Whoever keeps something read from the store
    /// (the running counts) reads it again when this moves in a way it did not cause.
    fn erasure_mark(&self, survey_id: &str) -> Result<u64, StoreError>;

    /// A mark that moves whenever any collector on this store publishes a survey or
    /// changes a survey's updates, so a collector can bring its catalog up to date;
    /// `None` when no other process can write this store (sled: one collector holds the
    /// directory), so the catalog in memory is the whole truth.
    fn catalog_mark(&self) -> Result<Option<u64>, StoreError>;

    /// Claims the lease `name` for `holder` for `hold_for`, if no other holder has it now
    /// (or renews it, if `holder` has it): true when `holder` has it afterwards. Work that
    /// must happen once for the whole store (retention, sending update emails) runs on
    /// whichever collector holds its lease. Times are the store's own clock, so collectors
    /// whose clocks differ still agree.
    fn claim_lease(&self, name: &str, holder: &str, hold_for: Duration)
    -> Result<bool, StoreError>;

    /// The position (see [`Store::responses_after`]) of the response with this receipt.
    fn position_of_receipt(&self, receipt: &str) -> Result<Option<u64>, StoreError>;

    /// A survey's response counts by day, version and channel (only the
    /// non-zero ones), kept as responses are stored and erased.
    fn tallies(&self, survey_id: &str) -> Result<Vec<Tally>, StoreError>;

    /// How many responses a survey has (from its tallies).
    fn response_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        Ok(self.tallies(survey_id)?.iter().map(|t| t.count).sum())
    }

    /// The response with this receipt, if it is stored.
    fn find_receipt(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError>;

    /// Erases a response and its indexes, leaving a tombstone of its
    /// submission id (no answers), so that neither exports find it nor a retry
    /// stores it again. Returns what was erased.
    fn erase_response(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError>;

    /// Erases a chunk (a few hundred) of a survey's oldest responses submitted
    /// before `cutoff`, as [`Store::erase_response`] does; returns how many, or
    /// `None` when there are none left. Callers loop: submissions get in
    /// between two chunks, so a large purge never holds them up, and a purge
    /// that fails halfway still knows what it erased.
    fn purge_chunk_before(
        &self,
        survey_id: &str,
        cutoff: OffsetDateTime,
    ) -> Result<Option<u64>, StoreError>;

    /// A survey's updates (its outcomes document, drafts included) as last written.
    fn outcomes(&self, survey_id: &str) -> Result<Option<String>, StoreError>;
    /// Every survey's updates, by survey id.
    fn all_outcomes(&self) -> Result<Vec<(String, String)>, StoreError>;
    /// Replaces a survey's updates (durable at the next flush).
    fn put_outcomes(&self, survey_id: &str, json: &str) -> Result<(), StoreError>;
    /// Replaces a survey's updates only if the store still holds `expected` (none: it holds
    /// none): whether it did. A change begun from what one collector read is not written
    /// over another collector's change saved meanwhile. Durable at the next flush.
    fn replace_outcomes(
        &self,
        survey_id: &str,
        expected: Option<&str>,
        json: &str,
    ) -> Result<bool, StoreError>;

    /// One of a survey's pictures (a file of its pictures folder, `file` as the survey
    /// names it), as last published.
    fn picture(&self, survey_id: &str, file: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Adds or replaces one of a survey's pictures (durable at the next flush).
    fn put_picture(&self, survey_id: &str, file: &str, bytes: &[u8]) -> Result<(), StoreError>;

    /// The area's population a survey's reach is compared with: the CSV as last loaded
    /// (read against the survey by `crate::population`).
    fn population(&self, survey_id: &str) -> Result<Option<String>, StoreError>;
    /// Replaces a survey's population figures (durable at the next flush).
    fn put_population(&self, survey_id: &str, csv: &str) -> Result<(), StoreError>;

    /// Adds a subscription to a survey's updates, unless the same address (compared
    /// case-insensitively) already has one for that survey.
    fn subscribe(&self, subscription: &Subscription) -> Result<Subscribed, StoreError>;
    /// The subscription whose token this is.
    fn subscription(&self, token: &str) -> Result<Option<Subscription>, StoreError>;
    /// Removes a subscription and every email queued for it; false if there was none.
    fn unsubscribe(&self, token: &str) -> Result<bool, StoreError>;
    /// How many people get a survey's updates by email.
    fn subscription_count(&self, survey_id: &str) -> Result<u64, StoreError>;
    /// Queues, for every subscription to the survey, an email of each of `published`
    /// (update ids) it has not been told yet, due at `now`; returns how many. Calling it
    /// again queues nothing more: each update goes once to each person.
    fn queue_updates(
        &self,
        survey_id: &str,
        published: &[String],
        now: OffsetDateTime,
    ) -> Result<u64, StoreError>;
    /// Takes back the queued emails of updates `deleted` (forgetting they were told: a
    /// new update may one day have the same id) and `unpublished` (those whose email had
    /// not gone yet count as not told, and go if published again).
    fn take_back_updates(
        &self,
        survey_id: &str,
        deleted: &[String],
        unpublished: &[String],
    ) -> Result<(), StoreError>;
    /// Up to `limit` queued emails due at `now`, the longest due first.
    fn due_mail(&self, now: OffsetDateTime, limit: usize) -> Result<Vec<MailJob>, StoreError>;
    /// Puts a queued email (`job`, as read from the queue) back as `retry` (its new
    /// attempt count and due time), unless it has left the queue meanwhile.
    fn reschedule_mail(&self, job: &MailJob, retry: &MailJob) -> Result<(), StoreError>;
    /// Makes every email that failed before due at `now`: the relay is back. Returns how many.
    fn hurry_mail(&self, now: OffsetDateTime) -> Result<u64, StoreError>;
    /// Takes an email (as read from the queue) off it, and does what `how` says to its
    /// subscription.
    fn settle_mail(&self, job: &MailJob, how: Settled) -> Result<(), StoreError>;
    /// Removes the survey's subscriptions made before `day`, and their queued emails;
    /// returns how many.
    fn purge_subscriptions_before(
        &self,
        survey_id: &str,
        day: time::Date,
    ) -> Result<u64, StoreError>;

    /// Adds or replaces a member of staff.
    fn put_user(&self, user: &StaffUser) -> Result<(), StoreError>;
    fn user(&self, name: &str) -> Result<Option<StaffUser>, StoreError>;
    fn users(&self) -> Result<Vec<StaffUser>, StoreError>;
    /// Removes a member of staff; false if there was none by that name.
    fn remove_user(&self, name: &str) -> Result<bool, StoreError>;

    /// Adds or replaces a token (by name).
    fn put_token(&self, token: &StaffToken) -> Result<(), StoreError>;
    fn tokens(&self) -> Result<Vec<StaffToken>, StoreError>;
    /// The token whose SHA-256 digest (hex) is `token_hash`, found by an
    /// index: checking a bearer token costs the same however many exist.
    fn token_by_hash(&self, token_hash: &str) -> Result<Option<StaffToken>, StoreError>;
    /// Removes a token; false if there was none by that name.
    fn revoke_token(&self, name: &str) -> Result<bool, StoreError>;

    /// Keeps a collection credential (a new one, or one revoked), with its digest's index.
    fn put_collection(&self, collection: &Collection) -> Result<(), StoreError>;
    fn collection(&self, id: &str) -> Result<Option<Collection>, StoreError>;
    /// The credential whose secret has this digest, revoked or not.
    fn collection_by_hash(&self, secret_hash: &str) -> Result<Option<Collection>, StoreError>;
    fn collections(&self) -> Result<Vec<Collection>, StoreError>;

    /// Keeps a new staff session under `secret_hash`, the SHA-256 (hex) of its cookie's secret.
    /// Not flushed: a session lost in a crash means signing in again.
    fn start_session(&self, secret_hash: &str, session: &StaffSession) -> Result<(), StoreError>;
    /// The session under `secret_hash` if it is live at `now`, its `last_seen` written as
    /// `now` when older than [`SESSION_SEEN_EVERY`]; one that has ended is deleted.
    fn session(
        &self,
        secret_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<StaffSession>, StoreError>;
    /// Ends a session; false if there was none.
    fn end_session(&self, secret_hash: &str) -> Result<bool, StoreError>;
    /// Ends every session of a member of staff (a new password or role, a removed account);
    /// returns how many.
    fn end_sessions_of(&self, user: &str) -> Result<u64, StoreError>;
    /// Begins a sign-in attempt at `now`: unless one of `brakes` is on, counts it as a failure
    /// against every one of them, atomically (across processes sharing the store: attempts
    /// arriving together are counted one by one, so exactly the free ones get through).
    fn begin_sign_in(
        &self,
        brakes: &[Brake],
        now: OffsetDateTime,
    ) -> Result<SignInBegun, StoreError>;
    /// An attempt signed in: its brakes forget their failures.
    fn sign_in_succeeded(&self, brakes: &[Brake]) -> Result<(), StoreError>;
    /// Deletes the sessions that have ended by `now` and the brakes whose last failure is
    /// more than [`BRAKE_MEMORY`] before it; returns how many.
    fn sweep_sign_ins(&self, now: OffsetDateTime) -> Result<u64, StoreError>;

    /// Appends to the audit log (durable at the next flush).
    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// The newest `limit` audit entries, newest first.
    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// Makes every write so far durable (blocking; one fsync for all of them).
    fn flush(&self) -> Result<(), StoreError>;

    /// Writes and flushes a small record, to prove the store can take writes.
    fn check_writable(&self) -> Result<(), StoreError>;

    /// Lets go of the memory that long reads (an export, the count of every response at
    /// start-up) left the store holding, once they have read enough for it to matter, no
    /// read is still going and nothing has been written for a moment; whether it did.
    /// Call it now and then: it holds up the store's other users while it works (on
    /// sled, which keeps what a read brought into memory whatever its cache's size, it
    /// reopens the database: 0.2 s with a million responses).
    fn shed_memory(&self) -> Result<bool, StoreError>;

    /// After a write failed (a full disk, a read-only file system), tries to
    /// make the store take writes again, at most once per [`RECOVERY_PAUSE`];
    /// `Ok` when it can take them. The writer calls this before each
    /// batch, and the sled store before each write of its own (staff records,
    /// publishing, the audit log, erasure, retention), so the collector
    /// recovers without a restart once the disk does, whichever write comes first.
    fn recover(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Moving a data directory into a database (`voices-collector migrate`, issue 14).
//
// Apart from `Store`: only `crate::migrate` uses these, the sled store reads them out
// ([`MoveSource`]) and the PostgreSQL store writes them in ([`MoveTarget`]).

/// What is left of an erased response: its submission id, so that a retry is refused for
/// good, and when (to the second, as sled keeps it).
#[derive(Debug, Clone, PartialEq)]
pub struct Tombstone {
    pub survey_id: String,
    pub submission_id: Uuid,
    pub erased_at: OffsetDateTime,
}

/// One line of the audit log with what identifies it for good, whatever store it is in:
/// `key` is where it was in the log it came from and a digest of what it says, so a rerun
/// recognises it, and a line of another log that happens to sit at the same place does
/// not pass for it (see `SledStore`'s [`MoveSource::audit_log`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedAudit {
    pub key: String,
    pub entry: AuditEntry,
}

/// What became of one record offered to a [`MoveTarget`].
#[derive(Debug, Clone, PartialEq)]
pub enum Moved {
    Moved,
    /// Already in the database, the same; or moved by an earlier run and changed or removed
    /// there since: the database is the one in use, and keeps what it has.
    AlreadyThere,
    /// The database holds something else under the same key: nothing was overwritten.
    /// Says what, and where.
    Conflict(String),
}

/// What a [`MoveSource`] reads: lazily, in order, each item its own result (one that
/// cannot be read does not stop the rest).
pub type Reading<'a, T> = Box<dyn Iterator<Item = Result<T, StoreError>> + Send + 'a>;

/// What a store holds beyond what [`Store`] reads out, read whole and in order: what
/// `migrate` moves out of a data directory.
pub trait MoveSource: Store {
    /// Every response, survey by survey (by id), each survey's in the order they were stored.
    fn every_response(&self) -> Reading<'_, StoredResponse>;
    /// Every erased response's tombstone, survey by survey.
    fn tombstones(&self) -> Reading<'_, Tombstone>;
    /// The audit log, oldest first.
    fn audit_log(&self) -> Reading<'_, LoggedAudit>;
    /// Every subscription to a survey's updates.
    fn every_subscription(&self) -> Reading<'_, Subscription>;
    /// Every email waiting to go, the longest due first.
    fn mail_queue(&self) -> Reading<'_, MailJob>;
    /// Every survey's population figures, by survey id.
    fn every_population(&self) -> Result<Vec<(String, String)>, StoreError>;
    /// Every survey's pictures, by survey id and file.
    fn every_picture(&self) -> Result<Vec<SurveyPicture>, StoreError>;
}

/// One of a survey's pictures, as [`MoveSource`] reads it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyPicture {
    pub survey_id: String,
    pub file: String,
    pub bytes: Vec<u8>,
}

/// Writes what a [`MoveSource`] read, a batch at a time (one transaction each), never
/// over anything: each record is moved, found there already, or a conflict. Running it
/// again with the same records moves nothing twice.
pub trait MoveTarget: Store {
    fn move_surveys(&self, surveys: &[StoredSurvey]) -> Result<Vec<Moved>, StoreError>;
    /// Responses in the order they were stored (positions are drawn in that order), with
    /// their receipts and counts.
    fn move_responses(&self, responses: &[StoredResponse]) -> Result<Vec<Moved>, StoreError>;
    fn move_tombstones(&self, tombstones: &[Tombstone]) -> Result<Vec<Moved>, StoreError>;
    /// (survey id, outcomes document).
    fn move_outcomes(&self, outcomes: &[(String, String)]) -> Result<Vec<Moved>, StoreError>;
    /// (survey id, population CSV).
    fn move_population(&self, figures: &[(String, String)]) -> Result<Vec<Moved>, StoreError>;
    fn move_pictures(&self, pictures: &[SurveyPicture]) -> Result<Vec<Moved>, StoreError>;
    fn move_users(&self, users: &[StaffUser]) -> Result<Vec<Moved>, StoreError>;
    fn move_tokens(&self, tokens: &[StaffToken]) -> Result<Vec<Moved>, StoreError>;
    fn move_collections(&self, collections: &[Collection]) -> Result<Vec<Moved>, StoreError>;
    fn move_subscriptions(&self, subscriptions: &[Subscription]) -> Result<Vec<Moved>, StoreError>;
    fn move_mail(&self, jobs: &[MailJob]) -> Result<Vec<Moved>, StoreError>;
    /// Lines of the audit log, oldest first: they follow what the log already holds.
    fn move_audit(&self, entries: &[LoggedAudit]) -> Result<Vec<Moved>, StoreError>;
}

/// The data directory `dir`, to move out of: `None` when there is no collector's data in
/// it. Opened as a collector opens it: while one serves from it, this is refused with
/// [`StoreError::Locked`]; nothing in it is changed but what opening it changes (a layout
/// written by an older collector is brought up to date).
pub fn open_to_move_from(dir: &Path) -> Result<Option<Box<dyn MoveSource>>, StoreError> {
    if !SledStore::holds_data(dir) {
        return Ok(None);
    }
    Ok(Some(Box::new(SledStore::open(dir)?)))
}

/// The database at `url`, to move into, its schema created or brought up to date (a newer
/// one is refused).
pub fn open_to_move_into(url: &str) -> Result<Box<dyn MoveTarget>, StoreError> {
    Ok(Box::new(open_url(url)?))
}

// ---------------------------------------------------------------------------

/// The shortest time between two attempts of [`Store::recover`]: after space
/// returns, the collector takes writes again within about this long.
pub const RECOVERY_PAUSE: Duration = Duration::from_secs(1);

/// Opens the store in `data_dir`, creating it if needed.
pub fn open(data_dir: &Path) -> Result<SledStore, StoreError> {
    SledStore::open(data_dir)
}

/// Opens the PostgreSQL database at `url` (`postgres://USER@HOST:PORT/DATABASE`, the
/// password in the URL or in `PGPASSWORD`), creating or migrating its schema.
pub fn open_url(url: &str) -> Result<PostgresStore, StoreError> {
    PostgresStore::open_with(url, postgres_store::Schema::Migrate)
}

/// Opens the PostgreSQL database at `url`, which must already have this collector's
/// schema: for commands that read or add to a store a collector serves from.
pub fn open_existing_url(url: &str) -> Result<PostgresStore, StoreError> {
    PostgresStore::open_with(url, postgres_store::Schema::Existing)
}

/// Where a collector keeps its data.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// A sled data directory, created when needed: one collector at a time.
    Directory(PathBuf),
    /// A PostgreSQL database, by its URL (which may hold a password: show it with
    /// [`StoreLocation`]'s `Display`, which leaves it out).
    Postgres(String),
}

impl StoreLocation {
    /// A database URL, checked: `postgres://USER@HOST:PORT/DATABASE`. The error says what
    /// is wrong with it, without repeating a password.
    pub fn postgres(url: &str) -> Result<StoreLocation, String> {
        postgres_store::parse_url(url)?;
        Ok(StoreLocation::Postgres(url.to_owned()))
    }

    /// Opens it, creating the directory or the database's schema if needed.
    pub fn open(&self) -> Result<Arc<dyn Store>, StoreError> {
        Ok(match self {
            StoreLocation::Directory(dir) => Arc::new(open(dir)?),
            StoreLocation::Postgres(url) => Arc::new(open_url(url)?),
        })
    }

    /// Opens it only if it exists: a directory that is there, a database with this
    /// collector's schema. A directory that is not there is `Ok(None)`, for the caller
    /// to say what to pass instead.
    pub fn open_existing(&self) -> Result<Option<Arc<dyn Store>>, StoreError> {
        Ok(match self {
            StoreLocation::Directory(dir) if !dir.is_dir() => None,
            StoreLocation::Directory(dir) => Some(Arc::new(open(dir)?)),
            StoreLocation::Postgres(url) => Some(Arc::new(open_existing_url(url)?)),
        })
    }
}

/// As `Display`: a URL's password is never written out, not even in a debug log.
impl fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Directory(dir) => write!(f, "the data directory {}", dir.display()),
            StoreLocation::Postgres(url) => {
                write!(f, "the database {}", postgres_store::display_url(url))
            }
        }
    }
}
