//! The sled-backed [`Store`]: the only module that names sled.
//!
//! Trees: `surveys` (id 0 version → definition) and `responses`, which holds
//! five kinds of key so that a response, its index entries and its survey's
//! counts change in one atomic batch (sled's multi-tree transactions cost
//! more than the rest of a submission put together). The writer's batches of
//! responses are one sled batch each (and a further one for those whose receipt
//! was taken), their counts added once: one batch per response cost the collector
//! 2.5 times the CPU per submission under the ingest bench's load (commit 2e146b2):
//!
//! - `p` survey 0 position → the response's JSON. The position is the time it was
//!   submitted, in microseconds since 1970, or 1 µs after the survey's last position
//!   if that is later ([`Positions::next`]): so keys are in the order stored, as
//!   [`Store::responses_after`] needs, and nearly in time order, so a time range is a
//!   key range with no index of its own. A position is never before its response's
//!   time. Every key per response costs sled time to write and memory to open (it
//!   splits its nodes at 16 keys, and keeps every node's place in memory), so this is
//!   the only one most responses have: in a probe of sled alone, 1,000,000 responses,
//!   4 keys each (format 2) took 69 s to write and 165 MB to open; 1 key and the
//!   receipt buckets, 27 s and 57 MB;
//! - `l` survey 0 → the survey's lag: the most any of its positions has been after its
//!   response's time (microseconds, as 8 bytes). Responses reach the writer a little out
//!   of order, so it is usually a few milliseconds; a server clock set back makes it as
//!   large as the step. A time range reads positions from its start to its end plus
//!   the lag, and checks each response's own time;
//! - `b` bucket → receipts, each with its response's survey and position: the receipt
//!   index, in 65,536 keys however many responses there are ([`receipts`]). A response
//!   is first offered the receipt derived from its survey and submission id, keyed with
//!   `meta`'s `receipt_secret` ([`Receipt::derived`]), so its receipt's entry also finds
//!   it by its submission (one response per submission);
//! - `s` survey 0 submission id → the response's key, only for a response stored with
//!   any other receipt (its derived one was another's, the store could not be read when
//!   the receipt was offered, or it was stored before format 3), or, once a response is
//!   erased, a tombstone: `x` and when (no answers, no receipt; but whoever holds the
//!   data directory, and so its secret, can derive the receipt again). A lookup by
//!   submission reads the `s` entry only once the tree has any;
//! - `n` survey 0 day version channel → how many responses (a [`Tally`]).
//!
//! `staff` holds users (`u` name) and tokens (`t` name) as JSON, and each
//! token's digest (`h` digest → name) so a bearer token is found by one read;
//! collection credentials likewise (`k` id → the credential, `g` digest → id);
//! `audit` holds the audit log under sled's monotonic ids, so it reads back in
//! order; `outcomes` holds each survey's updates (survey id → the outcomes document);
//! `population` each survey's area figures (survey id → the CSV as loaded);
//! `pictures` each survey's pictures (survey id 0 file name → the file's bytes);
//! `mail` holds the people who asked for a survey's updates by email, apart from
//! everything else: `s` token → the subscription; `a` survey 0 digest of the address →
//! token, so an address subscribes to a survey once; `q` due time, token 0 update id →
//! an email waiting to go, so the queue reads in the order emails fall due; `j` token 0
//! update id → that email's `q` key, so one person's emails are found without reading
//! the queue.
//! `sign_in` holds what signing in shares between requests: `s` digest of a session's
//! secret → the [`StaffSession`], and `b` brake key → its failures (the key a digest of
//! whom the brake counts, keyed with `meta`'s `brake_secret`: no address is stored).
//! Sessions survive a restart; ended sessions and quiet brakes are swept.
//! `meta` holds the layout's version (`format`) and the secrets. [`MoveSource`] reads all of it out, in
//! key order, for `voices-collector migrate` (not sessions, brakes or the secrets: those
//! start afresh on the database, which needs no receipt secret). A store written by an
//! earlier collector is brought up to this layout once, when it is opened ([`upgrade`]).
//!
//! Every change to `responses` and to tokens happens under one mutex (the
//! writer thread's inserts, erasure, retention's chunks): the counts are read,
//! changed and written back without another writer in between.
//!
//! ## When the disk fails
//!
//! sled 0.34 keeps the first IO error of a write (a full disk, a file system
//! turned read-only) as a "global error": from then on every write and flush
//! of that `Db` fails with it, even once space is back, while reads mostly
//! still work: a read that passes a node sled has still to split or merge (it
//! does that lazily, on the next visit) does it first, and that is a write, so
//! the read fails the same way. So the store records the failure, and [`Store::recover`] (called by
//! the writer thread) reopens the database from disk once a probe file shows
//! the directory takes writes again. Reopening is sled's crash recovery: it
//! keeps what reached the disk, which includes everything acknowledged
//! (nothing is acknowledged before a flush and an fsync succeed), and drops
//! what the failed writes left only in memory; a response that was refused
//! with 503 is sent again by the widget with the same `submission_id`.

use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use uuid::Uuid;

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use voices_shared::Channel;

use sha2::Digest as _;

use crate::receipt::Receipt;

mod receipts;
mod upgrade;

use receipts::{Place, ReceiptIndex};

use super::{
    AuditEntry, Brake, Collection, Failures, InsertOutcome, LoggedAudit, MailJob, MoveSource,
    PublishOutcome, RECOVERY_PAUSE, Reading, Settled, SignInBegun, StaffSession, StaffToken,
    StaffUser, Store, StoreError, StoredResponse, StoredSurvey, Submitted, Subscribed,
    Subscription, SurveyPicture, Tally, Tombstone, brake_key, count_attempt, new_secret,
};

pub struct SledStore {
    dir: PathBuf,
    /// The open database. `None` only after a failed reopen; swapped for a
    /// fresh one by [`Store::recover`]. Every operation holds an `Arc` to the
    /// handles it uses, so a reopen waits until no one uses the old ones.
    handles: RwLock<Option<Arc<Handles>>>,
    /// How many times [`SledStore::reopen`] has opened the database again.
    reopens: std::sync::atomic::AtomicU64,
    /// Set when a write failed, so the database must be reopened (see the module docs).
    failure: Mutex<Option<Failure>>,
    /// Serialises every change to responses and tokens: "is this submission
    /// stored? if not, store it" and the read-change-write of the counts. One
    /// process owns the directory (see `_lock`), so this makes them atomic.
    writing: parking_lot::Mutex<()>,
    /// One recovery at a time: the writer thread and staff writes may both try,
    /// and a second reopen of a store just recovered would only replay it again
    /// (or fail, because the first's new handles are already in use).
    recovering: Mutex<()>,
    /// Serialises the read-change-writes of the `mail` tree (a subscription's `told`
    /// list, the address index): apart from `writing`, so email never holds up a submission.
    mailing: Mutex<()>,
    /// Responses erased or purged per survey since the store was opened (see
    /// [`Store::erasure_mark`]): counted in memory, as one process has the directory.
    erasures: Mutex<HashMap<String, u64>>,
    /// Leases by name: holder and until when (see [`Store::claim_lease`]). In memory, as
    /// one process has the directory: a restart begins with none held.
    leases: Mutex<HashMap<String, (String, std::time::Instant)>>,
    /// Serialises the read-change-writes of the `sign_in` tree: a brake's check and count,
    /// so attempts arriving together are counted one by one.
    signing_in: Mutex<()>,
    /// `meta`'s `receipt_secret`, which keys the receipts this store derives
    /// ([`Receipt::derived`]): read when the store is opened (it never changes, so a
    /// reopen reads the same), and used without the handles.
    receipt_secret: Vec<u8>,
    /// Responses read by long reads since the database was last opened (see
    /// [`Store::shed_memory`]).
    read_since_open: AtomicU64,
    /// When the store was opened, and how long after that it last wrote responses, in
    /// milliseconds: shedding waits for a quiet moment.
    opened_at: Instant,
    last_write_ms: AtomicU64,
    /// Held for the life of the store: a second collector on the same
    /// directory is refused with a clear message instead of corrupting it.
    _lock: File,
}

/// One open sled database and its trees.
struct Handles {
    db: sled::Db,
    surveys: sled::Tree,
    responses: sled::Tree,
    health: sled::Tree,
    staff: sled::Tree,
    audit: sled::Tree,
    meta: sled::Tree,
    outcomes: sled::Tree,
    /// Survey id → the population CSV its reach is compared with.
    population: sled::Tree,
    /// Survey id, NUL, file name → one of the survey's pictures.
    pictures: sled::Tree,
    mail: sled::Tree,
    /// Staff sessions and the sign-in brakes.
    sign_in: sled::Tree,
    /// Whether the `responses` tree has any `s` entry (see the module docs): until it
    /// has, a lookup by submission reads the derived receipt's entry alone.
    submission_index: AtomicBool,
    /// Each survey's last position and lag, as the writer last left them (see the
    /// module docs): read from the tree when first needed, and changed only under
    /// `writing`, once the batch that moved them is written.
    positions: parking_lot::Mutex<HashMap<String, Positions>>,
    /// sled's file, opened again so that a flush can end with a real fsync:
    /// `Db::flush` only calls `sync_file_range`, which leaves the drive's
    /// cache and the file's metadata unsynced (sled issue #1452).
    file: File,
}

/// Why the store cannot take writes, and when it last tried to recover.
struct Failure {
    reason: String,
    last_attempt: Instant,
}

/// The layout of the trees (see the module docs; the earlier ones in [`upgrade`]'s). A
/// collector that knows an earlier one refuses to open a later one: it would miss
/// what moved.
const FORMAT: u32 = 4;

/// The name in `meta` of the secret that keys the receipts this store derives
/// ([`Receipt::derived`]): made with the store (or its upgrade to format 3), flushed
/// with the format, and never replaced.
const RECEIPT_SECRET: &str = "receipt_secret";

/// Most responses one chunk of a retention purge erases before it lets the
/// writer in: a few milliseconds of work.
const PURGE_CHUNK: usize = 500;

/// How long a busy writer waits for more responses to join its batch ([`Store::gathering`]).
/// In the ingest benchmark (64 clients, batches of about 22 without it), 400 µs took
/// durable ingest from 98 to 90 µs of server CPU per submission (medians of three runs,
/// without and with it in turn), at the same rate (14,066 and 13,966 submissions/s) and
/// a lower p99 latency (8.4 ms against 9.5).
const GATHERING: Duration = Duration::from_micros(400);

/// sled's page cache: 16 MiB rather than 64 took a full read of a million responses from
/// 182 MB to 132 MB at its peak, at the same speed (BENCHMARKS.md, export section).
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Responses read since the database was opened after which it is worth reopening it
/// to let go of what the reads brought into memory ([`Store::shed_memory`]): sled keeps
/// every page a read has touched in memory, however small its cache (a read of a million
/// responses left it holding 140 MB where opening the same store took 46 MB).
const SHED_AFTER_READING: u64 = 50_000;

/// How long no response must have been stored before the store sheds memory: the reopen
/// holds up submissions for as long as it takes.
const SHED_WHEN_QUIET_FOR: Duration = Duration::from_secs(2);

/// Written (then removed) before reopening: room for two of sled's 512 KiB log
/// segments, so that a disk with a few bytes free is not taken for a recovered one.
const PROBE_BYTES: usize = 1024 * 1024;
const PROBE_FILE: &str = "voices.probe";

/// What an IO error means for someone who has to fix it. No path: the message
/// reaches respondents' browsers; the log names the directory.
fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            "the disk holding the data directory is full (no space left on device)".into()
        }
        ErrorKind::ReadOnlyFilesystem => "the data directory is on a read-only file system".into(),
        ErrorKind::PermissionDenied => {
            "the collector is not allowed to write to the data directory".into()
        }
        _ => format!("the data directory cannot be written to: {error}"),
    }
}

impl SledStore {
    /// Every (survey id, text) of a tree keyed by survey id (its updates, its population
    /// figures: `what`).
    fn texts_by_survey(
        &self,
        tree: &sled::Tree,
        what: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        tree.iter()
            .map(|entry| {
                let (key, value) = entry.map_err(|e| self.fail(e))?;
                match (
                    String::from_utf8(key.to_vec()),
                    String::from_utf8(value.to_vec()),
                ) {
                    (Ok(id), Ok(text)) => Ok((id, text)),
                    _ => Err(StoreError::Corrupt(format!(
                        "a survey's {what} are not UTF-8"
                    ))),
                }
            })
            .collect()
    }

    /// Moves the survey's [`Store::erasure_mark`] on.
    fn note_erasures(&self, survey_id: &str, rows: u64) {
        *lock(&self.erasures)
            .entry(survey_id.to_owned())
            .or_default() += rows;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn prefixed(prefix: &str) -> Vec<u8> {
    let mut key = prefix.as_bytes().to_vec();
    key.push(0);
    key
}

/// `kind` then `survey` then 0: the start of a key in the `responses` tree.
fn response_prefix(kind: u8, survey_id: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(survey_id.len() + 26);
    key.push(kind);
    key.extend_from_slice(survey_id.as_bytes());
    key.push(0);
    key
}

/// Just past every key of one kind for one survey: its prefix ends in 0, so with 1 instead.
fn prefix_end(kind: u8, survey_id: &str) -> Vec<u8> {
    let mut end = response_prefix(kind, survey_id);
    end.pop();
    end.push(1);
    end
}

fn survey_key(id: &str, version: u32) -> Vec<u8> {
    let mut key = prefixed(id);
    key.extend_from_slice(&version.to_be_bytes());
    key
}

fn staff_key(kind: u8, name: &str) -> Vec<u8> {
    let mut key = vec![kind];
    key.extend_from_slice(name.as_bytes());
    key
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode_record<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn submission_key(survey_id: &str, submission_id: Uuid) -> Vec<u8> {
    let mut key = response_prefix(b's', survey_id);
    key.extend_from_slice(submission_id.as_bytes());
    key
}

/// What an erased submission's index entry holds instead of a response's key.
const TOMBSTONE: u8 = b'x';

fn tombstone(now: OffsetDateTime) -> Vec<u8> {
    let mut value = vec![TOMBSTONE];
    value.extend_from_slice(&now.unix_timestamp().to_be_bytes());
    value
}

/// A time as bytes that sort as the times do (sign bit flipped, big-endian).
fn sortable_time(at: OffsetDateTime) -> [u8; 16] {
    (at.unix_timestamp_nanos().cast_unsigned() ^ (1 << 127)).to_be_bytes()
}

/// Microseconds since 1970, as positions count (0 for anything before).
fn micros(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp_nanos().div_euclid(1_000)).unwrap_or(0)
}

/// `p` survey 0 position: where a response is stored.
fn response_key(survey_id: &str, position: u64) -> Vec<u8> {
    let mut key = response_prefix(b'p', survey_id);
    key.extend_from_slice(&position.to_be_bytes());
    key
}

/// `l` survey 0: where the survey's lag is kept.
fn lag_key(survey_id: &str) -> Vec<u8> {
    response_prefix(b'l', survey_id)
}

/// A survey's last position and its lag (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
struct Positions {
    last: u64,
    lag: u64,
}

impl Positions {
    /// The position of the next response, submitted `at` (`None` for one whose time
    /// cannot be read: it keeps its place in the order and is left out of the lag).
    fn next(&mut self, at: Option<OffsetDateTime>) -> u64 {
        let at = at.map(micros);
        let position = at.unwrap_or(0).max(self.last.saturating_add(1));
        self.last = position;
        if let Some(at) = at {
            self.lag = self.lag.max(position - at);
        }
        position
    }
}

/// A response's position: the 8 bytes at the end of its key.
fn position_in(response_key: &[u8]) -> Result<u64, StoreError> {
    response_key
        .last_chunk::<8>()
        .map(|sequence| u64::from_be_bytes(*sequence))
        .ok_or_else(|| StoreError::Corrupt("a response's key is too short".into()))
}

fn tally_key(survey_id: &str, day: time::Date, version: u32, channel: Channel) -> Vec<u8> {
    let mut key = response_prefix(b'n', survey_id);
    key.extend_from_slice(&(day.to_julian_day().cast_unsigned() ^ (1 << 31)).to_be_bytes());
    key.extend_from_slice(&version.to_be_bytes());
    key.extend_from_slice(channel.as_str().as_bytes());
    key
}

fn tally_key_of(response: &StoredResponse) -> Vec<u8> {
    tally_key(
        &response.survey_id,
        response.day(),
        response.survey_version,
        response.channel,
    )
}

/// Reads a tally back from its key (after the survey's prefix) and value.
fn parse_tally(rest: &[u8], value: &[u8]) -> Option<Tally> {
    let (day, rest) = rest.split_first_chunk::<4>()?;
    let (version, channel) = rest.split_first_chunk::<4>()?;
    let julian = (u32::from_be_bytes(*day) ^ (1 << 31)).cast_signed();
    Some(Tally {
        day: time::Date::from_julian_day(julian).ok()?,
        version: u32::from_be_bytes(*version),
        channel: Channel::parse(std::str::from_utf8(channel).ok()?)?,
        count: u64::from_be_bytes(<[u8; 8]>::try_from(value).ok()?),
    })
}

fn subscription_key(token: &str) -> Vec<u8> {
    staff_key(b's', token)
}

/// The address index's key: an address is the same address whatever its case (most mail
/// systems treat it so), and only its digest is in the key.
fn address_key(survey_id: &str, email: &str) -> Vec<u8> {
    let mut key = response_prefix(b'a', survey_id);
    key.extend_from_slice(crate::staff::credentials::digest(&email.to_lowercase()).as_bytes());
    key
}

fn mail_key(job: &MailJob) -> Vec<u8> {
    let mut key = vec![b'q'];
    key.extend_from_slice(&sortable_time(job.due));
    key.extend_from_slice(job.token.as_bytes());
    key.push(0);
    key.extend_from_slice(job.update_id.as_bytes());
    key
}

/// The start of the per-subscription index of queued emails: `j` token 0.
fn queued_prefix(token: &str) -> Vec<u8> {
    let mut key = vec![b'j'];
    key.extend_from_slice(token.as_bytes());
    key.push(0);
    key
}

/// `j` token 0 update → the email's queue key: a subscription's emails found without
/// reading the queue.
fn queued_key(token: &str, update_id: &str) -> Vec<u8> {
    let mut key = queued_prefix(token);
    key.extend_from_slice(update_id.as_bytes());
    key
}

/// A session's key in the `sign_in` tree: `s` and the digest of its secret.
fn session_key(secret_hash: &str) -> Vec<u8> {
    staff_key(b's', secret_hash)
}

/// A brake's key in the `sign_in` tree: `b` and its keyed digest.
fn brake_row_key(secret: &[u8], brake: &Brake) -> Result<Vec<u8>, StoreError> {
    Ok(staff_key(b'b', &brake_key(secret, brake)?))
}

fn token_hash_key(token_hash: &str) -> Vec<u8> {
    staff_key(b'h', token_hash)
}

impl Handles {
    /// Opens the database, brought up to this collector's layout.
    /// Refused without its receipt secret (see [`receipt_secret`]).
    fn open(data_dir: &Path) -> Result<Handles, String> {
        let handles = Handles::open_as_it_is(data_dir)?;
        match upgrade::upgrade(&handles)
            .map_err(|e| e.to_string())
            .and_then(|()| receipt_secret(&handles.meta))
        {
            Ok(_) => Ok(handles),
            Err(error) => {
                // Closed, not dropped: sled's own drop can panic on a failed disk.
                handles.close();
                Err(error)
            }
        }
    }

    /// Opens the database in whatever layout it has.
    fn open_as_it_is(data_dir: &Path) -> Result<Handles, String> {
        let db = sled::Config::new()
            .path(data_dir.join("store"))
            // sled's default page cache is 1 GiB, and a full export fills it: keep
            // a small server's memory small; reads cost little more (measured in
            // BENCHMARKS.md, export section).
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(io) if !is_lock_error(&io) => describe_io(&io),
                other => other.to_string(),
            })?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| e.to_string());
        let db_file = data_dir.join("store").join("db");
        let file =
            File::open(&db_file).map_err(|e| format!("cannot open {}: {e}", db_file.display()))?;
        let responses = tree("responses")?;
        let submission_index = responses
            .scan_prefix([b's'])
            .next()
            .transpose()
            .map_err(|e| e.to_string())?
            .is_some();
        Ok(Handles {
            surveys: tree("surveys")?,
            responses,
            submission_index: submission_index.into(),
            positions: parking_lot::Mutex::default(),
            health: tree("health")?,
            staff: tree("staff")?,
            audit: tree("audit")?,
            meta: tree("meta")?,
            outcomes: tree("outcomes")?,
            population: tree("population")?,
            pictures: tree("pictures")?,
            mail: tree("mail")?,
            sign_in: tree("sign_in")?,
            db,
            file,
        })
    }

    /// A survey's positions as the tree has them: its last response's and its lag.
    fn positions_on_disk(&self, survey_id: &str) -> Result<Positions, sled::Error> {
        let last = self
            .responses
            .range(response_prefix(b'p', survey_id)..prefix_end(b'p', survey_id))
            .keys()
            .next_back()
            .transpose()?
            .and_then(|key| key.last_chunk::<8>().map(|at| u64::from_be_bytes(*at)));
        Ok(Positions {
            last: last.unwrap_or(0),
            lag: self.lag(survey_id)?,
        })
    }

    /// The lag of a survey (see the module docs).
    fn lag(&self, survey_id: &str) -> Result<u64, sled::Error> {
        Ok(self
            .responses
            .get(lag_key(survey_id))?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    }

    /// Closes the database without a panic. sled's `Drop` ends with
    /// `sync_all().unwrap()` unless it has already seen a write fail, so on a
    /// file system that turned read-only while idle it would panic: one small
    /// write and flush first makes it see the failure (and is harmless on a
    /// healthy disk). The `catch_unwind` is a last resort for what sled does
    /// in `Drop` that this cannot foresee.
    fn close(self) {
        let _ = self.health.insert("closing", &[][..]);
        let _ = self.db.flush();
        if catch_unwind(AssertUnwindSafe(move || drop(self))).is_err() {
            tracing::error!(
                "sled failed while closing the data directory; reopening it recovers what reached the disk"
            );
        }
    }
}

/// `meta`'s [`RECEIPT_SECRET`], made with format 3 (see [`upgrade`]).
fn receipt_secret(meta: &sled::Tree) -> Result<Vec<u8>, String> {
    match meta.get(RECEIPT_SECRET).map_err(|e| e.to_string())? {
        Some(secret) if !secret.is_empty() => Ok(secret.to_vec()),
        // Without it, no response stored by its derived receipt would be found by its
        // submission, and every retry would be stored again: refuse, rather than make
        // another.
        _ => Err(format!(
            "the data directory has lost the secret its receipts are derived from (`{RECEIPT_SECRET}`), \
             so a resent response could be stored twice; restore the data directory from a backup"
        )),
    }
}

/// sled's own lock on its file, which it releases from a background thread
/// after the last handle is dropped (spacejam/sled#1234).
fn is_lock_error(error: &io::Error) -> bool {
    error.to_string().contains("could not acquire lock")
}

/// Whether the directory takes a write and an fsync now.
fn probe(dir: &Path) -> io::Result<()> {
    let path = dir.join(PROBE_FILE);
    let written = File::create(&path).and_then(|mut file| {
        file.write_all(&vec![0; PROBE_BYTES])?;
        file.sync_all()
    });
    let _ = fs::remove_file(&path);
    written
}

impl SledStore {
    pub fn open(data_dir: &Path) -> Result<SledStore, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: data_dir.to_path_buf(),
            reason,
        };
        fs::create_dir_all(data_dir).map_err(|e| open_error(e.to_string()))?;
        let lock_path: PathBuf = data_dir.join("voices.lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| open_error(format!("cannot create {}: {e}", lock_path.display())))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: data_dir.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(open_error(format!("cannot lock it: {e}")));
            }
        }
        let handles = Handles::open(data_dir).map_err(open_error)?;
        Ok(SledStore {
            receipt_secret: receipt_secret(&handles.meta).map_err(open_error)?,
            dir: data_dir.to_path_buf(),
            handles: RwLock::new(Some(Arc::new(handles))),
            reopens: std::sync::atomic::AtomicU64::new(0),
            erasures: Mutex::default(),
            leases: Mutex::default(),
            failure: Mutex::new(None),
            writing: parking_lot::Mutex::new(()),
            recovering: Mutex::new(()),
            mailing: Mutex::new(()),
            signing_in: Mutex::new(()),
            read_since_open: AtomicU64::new(0),
            opened_at: Instant::now(),
            last_write_ms: AtomicU64::new(0),
            _lock: lock,
        })
    }

    /// The database to use now, or why there is none.
    fn handles(&self) -> Result<Arc<Handles>, StoreError> {
        let slot = self
            .handles
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match slot.as_ref() {
            Some(handles) => Ok(Arc::clone(handles)),
            None => Err(StoreError::Unavailable(
                lock(&self.failure)
                    .as_ref()
                    .map_or_else(|| "the store is closed".into(), |f| f.reason.clone()),
            )),
        }
    }

    /// Turns a sled error into a [`StoreError`], recording an IO failure:
    /// after one, sled refuses every write until the database is reopened.
    fn fail(&self, error: sled::Error) -> StoreError {
        match error {
            sled::Error::Io(io) => self.fail_io(&io),
            // What was read cannot be understood (a receipt bucket cut short): the trouble
            // of what needed it, not of the whole store.
            sled::Error::Corruption { .. } => StoreError::Corrupt(
                "stored data cannot be read: a receipt index bucket, or sled's own file, is damaged"
                    .into(),
            ),
            other => StoreError::Unavailable(other.to_string()),
        }
    }

    fn fail_io(&self, error: &io::Error) -> StoreError {
        let reason = describe_io(error);
        let mut failure = lock(&self.failure);
        match failure.as_mut() {
            Some(failure) => failure.reason.clone_from(&reason),
            None => {
                tracing::error!(
                    data = %self.dir.display(),
                    %error,
                    "writing to the data directory failed: {reason}; submissions get 503 until it takes writes again"
                );
                *failure = Some(Failure {
                    reason: reason.clone(),
                    last_attempt: Instant::now(),
                });
            }
        }
        StoreError::Unavailable(reason)
    }

    /// Drops the old database and opens it again from disk. Fails, leaving
    /// the old one in place, while anything else still reads from it.
    ///
    /// The handles' lock is held only to swap them: while sled lets go of its
    /// own file lock (which can take a while) and replays its log, every other
    /// request is answered at once with the failure's reason instead of
    /// queueing behind the reopen. Callers hold `recovering`, so no second
    /// reopen runs meanwhile.
    fn reopen(&self, reason: &str) -> Result<(), StoreError> {
        let old = {
            let mut slot = self
                .handles
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match slot.take().map(Arc::try_unwrap) {
                None => None,
                Some(Ok(old)) => Some(old),
                Some(Err(shared)) => {
                    // An export or a read is using it: try again at the next recovery.
                    *slot = Some(shared);
                    return Err(StoreError::Unavailable(format!(
                        "{reason}; the disk takes writes again, but the store can only be \
                         reopened once a download that is reading it has finished"
                    )));
                }
            }
        };
        if let Some(old) = old {
            old.close();
        }
        let handles = self.open_again()?;
        *self
            .handles
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(handles));
        self.reopens
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Opens the database again once the last handles are closed (sled lets go of its
    /// file a moment later); a failure is recorded, for the writer's recovery to retry.
    fn open_again(&self) -> Result<Handles, StoreError> {
        let deadline = Instant::now() + Duration::from_secs(5);
        let opened = loop {
            match Handles::open(&self.dir) {
                Err(error)
                    if error.contains("could not acquire lock") && Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => break other,
            }
        };
        self.read_since_open.store(0, Ordering::Relaxed);
        opened.map_err(|error| {
            tracing::warn!(data = %self.dir.display(), %error, "reopening the store failed; it will be tried again");
            lock(&self.failure)
                .get_or_insert_with(|| Failure {
                    reason: error.clone(),
                    last_attempt: Instant::now(),
                })
                .reason
                .clone_from(&error);
            StoreError::Unavailable(error)
        })
    }

    /// Counts a response read by a long read (see [`Store::shed_memory`]).
    fn note_read(&self) {
        self.read_since_open.fetch_add(1, Ordering::Relaxed);
    }

    fn decode(bytes: &[u8]) -> Result<StoredResponse, StoreError> {
        decode_record(bytes, "a stored response")
    }

    /// Where a submission stands: the response with the submission's `derived` receipt,
    /// if it is this submission's; else, once the tree has any, its `s` entry.
    fn submitted(
        &self,
        h: &Handles,
        receipts: &mut ReceiptIndex<'_>,
        (survey_id, submission_id): (&str, Uuid),
        derived: &Receipt,
    ) -> Result<Submitted, StoreError> {
        if let Some(place) = receipts
            .find_stored(derived.as_str())
            .map_err(|e| self.fail(e))?
            && place.survey_id == survey_id
        {
            let key = response_key(&place.survey_id, place.position);
            let response = self.response_at(h, &key, "a receipt")?;
            if response.submission_id == submission_id {
                return Ok(Submitted::Stored(Box::new(response)));
            }
        }
        if !h.submission_index.load(Ordering::SeqCst) {
            return Ok(Submitted::Unknown);
        }
        let index_key = submission_key(survey_id, submission_id);
        let Some(key) = h.responses.get(index_key).map_err(|e| self.fail(e))? else {
            return Ok(Submitted::Unknown);
        };
        if key.first() == Some(&TOMBSTONE) {
            return Ok(Submitted::Erased);
        }
        self.response_at(h, &key, "a submission")
            .map(|response| Submitted::Stored(Box::new(response)))
    }

    /// The response stored under `key`, which `what` (an index entry) points at.
    fn response_at(
        &self,
        h: &Handles,
        key: &[u8],
        what: &str,
    ) -> Result<StoredResponse, StoreError> {
        let body = h
            .responses
            .get(key)
            .map_err(|e| self.fail(e))?
            .ok_or_else(|| StoreError::Corrupt(format!("{what} points at a missing response")))?;
        SledStore::decode(&body)
    }

    /// Stores each of `responses` unless its submission id is known (or its receipt
    /// taken), as one sled batch: after a crash, either every response of it, with its
    /// indexes and its count, is there, or none. A copy later in the batch of a
    /// submission stored earlier in it finds that one stored. What is wrong with one
    /// response alone (it cannot be written as JSON; what is stored under its submission
    /// id cannot be read) is its own outcome; any error from sled fails the whole batch,
    /// and nothing of it is written.
    fn store_batch(
        &self,
        responses: &[StoredResponse],
    ) -> Result<Vec<Result<InsertOutcome, StoreError>>, StoreError> {
        let _only_writer = self.writing.lock();
        let h = self.handles()?;
        let mut batch = sled::Batch::default();
        let mut counts: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
        // What this batch stores, by submission key (the response's place) and receipt.
        let mut stored_now: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut receipts = ReceiptIndex::new(&h.responses);
        // Each survey's positions before this batch and after it.
        let mut placed: HashMap<&str, (Positions, Positions)> = HashMap::new();
        let mut outcomes = Vec::with_capacity(responses.len());
        for (place, response) in responses.iter().enumerate() {
            let body = match serde_json::to_vec(response) {
                Ok(body) => body,
                Err(error) => {
                    outcomes.push(Err(StoreError::Corrupt(error.to_string())));
                    continue;
                }
            };
            let index_key = submission_key(&response.survey_id, response.submission_id);
            if let Some(&first) = stored_now.get(&index_key) {
                outcomes.push(Ok(InsertOutcome::AlreadyStored(Box::new(
                    responses[first].clone(),
                ))));
                continue;
            }
            // Derived once: it finds the submission, and says whether it needs an `s` entry.
            let derived = Receipt::derived(
                &self.receipt_secret,
                &response.survey_id,
                response.submission_id,
            );
            let submission = (response.survey_id.as_str(), response.submission_id);
            match self.submitted(&h, &mut receipts, submission, &derived) {
                Ok(Submitted::Unknown) => {}
                Ok(Submitted::Stored(existing)) => {
                    outcomes.push(Ok(InsertOutcome::AlreadyStored(existing)));
                    continue;
                }
                Ok(Submitted::Erased) => {
                    outcomes.push(Ok(InsertOutcome::Erased));
                    continue;
                }
                // This response's own trouble, as when stored one at a time.
                Err(error @ StoreError::Corrupt(_)) => {
                    outcomes.push(Err(error));
                    continue;
                }
                Err(error) => return Err(error),
            }
            let receipt = response.receipt.as_str();
            match receipts.find(receipt).map_err(|e| self.fail(e)) {
                Ok(None) => {}
                Ok(Some(_)) => {
                    outcomes.push(Ok(InsertOutcome::ReceiptTaken));
                    continue;
                }
                // This response's own trouble: its receipt's bucket cannot be read.
                Err(error @ StoreError::Corrupt(_)) => {
                    outcomes.push(Err(error));
                    continue;
                }
                Err(error) => return Err(error),
            }
            let (_, survey_positions) = match placed.entry(&response.survey_id) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let before = self.positions(&h, &response.survey_id)?;
                    entry.insert((before, before))
                }
            };
            let position = survey_positions.next(Some(response.submitted_at));
            let response_key = response_key(&response.survey_id, position);
            if response.receipt != derived {
                // Not found by its receipt, so by its submission. Noted before the batch
                // is written, so that no lookup misses it.
                h.submission_index.store(true, Ordering::SeqCst);
                batch.insert(index_key.as_slice(), response_key.as_slice());
            }
            let survey_id = response.survey_id.clone();
            receipts
                .put(
                    receipt,
                    &Place {
                        survey_id,
                        position,
                    },
                )
                .map_err(|e| self.fail(e))?;
            batch.insert(response_key, body);
            *counts.entry(tally_key_of(response)).or_default() += 1;
            stored_now.insert(index_key, place);
            outcomes.push(Ok(InsertOutcome::Inserted));
        }
        if !counts.is_empty() {
            receipts.write_into(&mut batch);
            self.adjust_tallies(&h, &mut batch, counts)?;
            for (survey_id, (before, after)) in &placed {
                if after.lag > before.lag {
                    batch.insert(lag_key(survey_id), &after.lag.to_be_bytes()[..]);
                }
            }
            h.responses.apply_batch(batch).map_err(|e| self.fail(e))?;
            let since_open =
                u64::try_from(self.opened_at.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.last_write_ms.store(since_open, Ordering::Relaxed);
            let mut positions = h.positions.lock();
            for (survey_id, (_, after)) in placed {
                positions.insert(survey_id.to_owned(), after);
            }
        }
        Ok(outcomes)
    }

    /// A survey's positions as the writer last left them (call under `writing`).
    fn positions(&self, h: &Handles, survey_id: &str) -> Result<Positions, StoreError> {
        if let Some(positions) = h.positions.lock().get(survey_id) {
            return Ok(*positions);
        }
        h.positions_on_disk(survey_id).map_err(|e| self.fail(e))
    }

    /// Adds to `batch` the erasure of a response stored under `key`: the
    /// response and its receipt go, and its submission id keeps only a
    /// tombstone, so a retry is refused for good.
    fn remove_response(
        &self,
        h: &Handles,
        (batch, receipts): (&mut sled::Batch, &mut ReceiptIndex<'_>),
        key: &[u8],
        response: &StoredResponse,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        receipts
            .remove(response.receipt.as_str())
            .map_err(|e| self.fail(e))?;
        // Noted before the batch is written, so that no lookup misses the tombstone.
        h.submission_index.store(true, Ordering::SeqCst);
        batch.remove(key);
        batch.insert(
            submission_key(&response.survey_id, response.submission_id),
            tombstone(now),
        );
        Ok(())
    }

    /// Adds to `batch` the counts changed by `changes` (read now, written with
    /// the batch, so only under `writing`); a count that reaches 0 is removed.
    fn adjust_tallies(
        &self,
        h: &Handles,
        batch: &mut sled::Batch,
        changes: BTreeMap<Vec<u8>, i64>,
    ) -> Result<(), StoreError> {
        for (key, change) in changes {
            let current = h
                .responses
                .get(&key)
                .map_err(|e| self.fail(e))?
                .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
                .map_or(0, u64::from_be_bytes);
            match current.saturating_add_signed(change) {
                0 => batch.remove(key),
                next => batch.insert(key, &next.to_be_bytes()[..]),
            }
        }
        Ok(())
    }

    /// Erases one chunk of a survey's responses submitted before `cutoff`,
    /// oldest first; returns how many, or `None` when none were left.
    fn purge_chunk(
        &self,
        survey_id: &str,
        cutoff: OffsetDateTime,
    ) -> Result<Option<u64>, StoreError> {
        let only_writer = self.writing.lock();
        let h = self.handles()?;
        // Every response submitted before `cutoff` has a position up to the lag after it
        // (the few after it that were submitted later are read and passed over).
        let lag = h.lag(survey_id).map_err(|e| self.fail(e))?;
        let start = response_prefix(b'p', survey_id);
        let end = match micros(cutoff)
            .checked_add(lag)
            .and_then(|at| at.checked_add(1))
        {
            Some(end) => response_key(survey_id, end),
            None => prefix_end(b'p', survey_id),
        };
        let now = OffsetDateTime::now_utc();
        let mut batch = sled::Batch::default();
        let mut receipts = ReceiptIndex::new(&h.responses);
        let mut tallies: BTreeMap<Vec<u8>, i64> = BTreeMap::new();
        let mut removed = 0;
        for entry in h.responses.range(start..end) {
            let (key, body) = entry.map_err(|e| self.fail(e))?;
            // One that cannot be read has no time to purge it by, and stays (a full
            // export names it): retention goes on with the rest.
            let Ok(response) = SledStore::decode(&body) else {
                continue;
            };
            if response.submitted_at >= cutoff {
                continue;
            }
            self.remove_response(&h, (&mut batch, &mut receipts), &key, &response, now)?;
            *tallies.entry(tally_key_of(&response)).or_default() -= 1;
            removed += 1;
            if removed == PURGE_CHUNK {
                break;
            }
        }
        receipts.write_into(&mut batch);
        self.adjust_tallies(&h, &mut batch, tallies)?;
        h.responses.apply_batch(batch).map_err(|e| self.fail(e))?;
        // Fair: a submission waiting for the lock gets it before the next chunk
        // does, however quickly the purge asks again.
        parking_lot::MutexGuard::unlock_fair(only_writer);
        Ok((removed > 0).then_some(removed as u64))
    }

    /// The handles, for a write from anywhere but the writer thread (staff
    /// actions, retention): after a failed write it first recovers, as the
    /// writer does before each batch, so a publish or an erasure once the disk
    /// has space again works without waiting for a submission to recover it.
    fn handles_to_write(&self) -> Result<Arc<Handles>, StoreError> {
        Store::recover(self)?;
        self.handles()
    }

    /// Adds to `batch` the removal of a subscription, its address index and its queued emails.
    fn forget_subscription(
        &self,
        h: &Handles,
        subscription: &Subscription,
        batch: &mut sled::Batch,
    ) -> Result<(), StoreError> {
        batch.remove(subscription_key(&subscription.token));
        batch.remove(address_key(&subscription.survey_id, &subscription.email));
        for entry in h.mail.scan_prefix(queued_prefix(&subscription.token)) {
            let (index, queued) = entry.map_err(|e| self.fail(e))?;
            batch.remove(index);
            batch.remove(queued);
        }
        Ok(())
    }

    fn read_subscription(
        &self,
        h: &Handles,
        token: &str,
    ) -> Result<Option<Subscription>, StoreError> {
        h.mail
            .get(subscription_key(token))
            .map_err(|e| self.fail(e))?
            .map(|bytes| decode_record(&bytes, "a subscription"))
            .transpose()
    }

    /// Whether any email but `except` is still queued for the subscription `token`.
    fn more_queued(&self, h: &Handles, token: &str, except: &[u8]) -> Result<bool, StoreError> {
        for entry in h.mail.scan_prefix(queued_prefix(token)).keys() {
            if entry.map_err(|e| self.fail(e))? != except {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Stores a user (`u`) or token (`t`) record under its name.
    fn put_staff<T: Serialize>(&self, kind: u8, name: &str, record: &T) -> Result<(), StoreError> {
        self.handles_to_write()?
            .staff
            .insert(staff_key(kind, name), encode(record)?)
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// Removes a user or token record; false if there was none by that name.
    fn remove_staff(&self, kind: u8, name: &str) -> Result<bool, StoreError> {
        let removed = self
            .handles_to_write()?
            .staff
            .remove(staff_key(kind, name))
            .map_err(|e| self.fail(e))?;
        Ok(removed.is_some())
    }

    /// The secret the brakes' keys are made with, made once per data directory.
    fn brake_secret(&self, h: &Handles) -> Result<Vec<u8>, StoreError> {
        const NAME: &str = "brake_secret";
        if let Some(secret) = h.meta.get(NAME).map_err(|e| self.fail(e))? {
            return Ok(secret.to_vec());
        }
        let made = new_secret();
        // Only if there is still none (the caller holds `signing_in`, so there is none).
        let _ = h
            .meta
            .compare_and_swap(NAME, None as Option<&[u8]>, Some(made.as_slice()))
            .map_err(|e| self.fail(e))?;
        h.meta
            .get(NAME)
            .map_err(|e| self.fail(e))?
            .map(|secret| secret.to_vec())
            .ok_or_else(|| StoreError::Corrupt("the brakes' secret was not kept".into()))
    }

    fn staff_records<T: DeserializeOwned>(
        &self,
        kind: u8,
        what: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.handles()?
            .staff
            .scan_prefix([kind])
            .values()
            .map(|value| decode_record(&value.map_err(|e| self.fail(e))?, what))
            .collect()
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        let slot = self
            .handles
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Anything still holding the handles closes them when it is done.
        if let Some(handles) = slot.take().and_then(|h| Arc::try_unwrap(h).ok()) {
            handles.close();
        }
    }
}

impl Store for SledStore {
    fn publish(
        &self,
        id: &str,
        version: u32,
        definition: &str,
    ) -> Result<PublishOutcome, StoreError> {
        let key = survey_key(id, version);
        let swapped = self
            .handles_to_write()?
            .surveys
            .compare_and_swap(&key, None as Option<&[u8]>, Some(definition.as_bytes()))
            .map_err(|e| self.fail(e))?;
        match swapped {
            Ok(()) => Ok(PublishOutcome::Published),
            Err(existing) if existing.current.as_deref() == Some(definition.as_bytes()) => {
                Ok(PublishOutcome::AlreadyPublished)
            }
            Err(_) => Err(StoreError::VersionConflict {
                id: id.to_owned(),
                version,
            }),
        }
    }

    fn surveys(&self) -> Result<Vec<StoredSurvey>, StoreError> {
        self.handles()?
            .surveys
            .iter()
            .map(|entry| {
                let (key, value) = entry.map_err(|e| self.fail(e))?;
                let split = key.len().checked_sub(5).filter(|&at| key[at] == 0);
                let Some(at) = split else {
                    return Err(StoreError::Corrupt(
                        "a survey key has the wrong shape".into(),
                    ));
                };
                let id = String::from_utf8(key[..at].to_vec())
                    .map_err(|_| StoreError::Corrupt("a survey id is not UTF-8".into()))?;
                let version = u32::from_be_bytes(key[at + 1..].try_into().expect("four bytes"));
                let definition = String::from_utf8(value.to_vec())
                    .map_err(|_| StoreError::Corrupt(format!("survey {id} is not UTF-8")))?;
                Ok(StoredSurvey {
                    id,
                    version,
                    definition,
                })
            })
            .collect()
    }

    fn insert_response(&self, response: &StoredResponse) -> Result<InsertOutcome, StoreError> {
        let mut outcomes = self.store_batch(std::slice::from_ref(response))?;
        outcomes.pop().unwrap_or_else(|| {
            Err(StoreError::Corrupt(
                "a response was stored without an outcome".into(),
            ))
        })
    }

    fn insert_responses(
        &self,
        responses: &[StoredResponse],
    ) -> Vec<Result<InsertOutcome, StoreError>> {
        match self.store_batch(responses) {
            Ok(outcomes) => outcomes,
            // Nothing of the batch was written: each response meets the same answer.
            Err(error) => responses.iter().map(|_| Err(error.clone())).collect(),
        }
    }

    fn first_receipt(&self, survey_id: &str, submission_id: Uuid) -> Receipt {
        // The directory's own secret, never replaced: read without the handles, which a
        // reopen may hold for a moment (this is called on the async threads).
        Receipt::derived(&self.receipt_secret, survey_id, submission_id)
    }

    fn find_submission(
        &self,
        survey_id: &str,
        submission_id: Uuid,
    ) -> Result<Submitted, StoreError> {
        let h = self.handles()?;
        let derived = Receipt::derived(&self.receipt_secret, survey_id, submission_id);
        let mut receipts = ReceiptIndex::new(&h.responses);
        self.submitted(&h, &mut receipts, (survey_id, submission_id), &derived)
    }

    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        let h = match self.handles() {
            Ok(h) => h,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let entries = h.responses.scan_prefix(response_prefix(b'p', survey_id));
        Box::new(entries.map(move |entry| {
            // Held for as long as the export reads: a reopen waits for it.
            let _in_use = &h;
            self.note_read();
            let (_, value) = entry.map_err(|e| self.fail(e))?;
            SledStore::decode(&value)
        }))
    }

    fn responses_submitted<'a>(
        &'a self,
        survey_id: &str,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        let h = match self.handles() {
            Ok(h) => h,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let lag = match h.lag(survey_id) {
            Ok(lag) => lag,
            Err(error) => return Box::new(std::iter::once(Err(self.fail(error)))),
        };
        // A response's position is from its time to its time plus the lag.
        let start = response_key(survey_id, from.map_or(0, micros));
        let end = match to.and_then(|to| micros(to).checked_add(lag)?.checked_add(1)) {
            Some(end) => response_key(survey_id, end),
            None => prefix_end(b'p', survey_id),
        };
        let entries = h.responses.range(start..end).filter_map(move |entry| {
            let _in_use = &h;
            self.note_read();
            let (key, value) = match entry {
                Ok(entry) => entry,
                Err(error) => return Some(Err(self.fail(error))),
            };
            // One that cannot be read has no time to be in a range by: a full export
            // names it (as before positions were times, when it had no time index entry).
            let response = SledStore::decode(&value).ok()?;
            Some(position_in(&key).map(|position| (position, response)))
        });
        let within = move |at: OffsetDateTime| {
            from.is_none_or(|from| at >= from) && to.is_none_or(|to| at <= to)
        };
        Box::new(InTimeOrder::new(entries, lag, within))
    }

    fn responses_after<'a>(
        &'a self,
        survey_id: &str,
        after: Option<u64>,
    ) -> Box<dyn Iterator<Item = Result<(u64, StoredResponse), StoreError>> + Send + 'a> {
        let h = match self.handles() {
            Ok(h) => h,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let mut start = response_prefix(b'p', survey_id);
        match after.and_then(|after| after.checked_add(1)) {
            Some(next) => start.extend_from_slice(&next.to_be_bytes()),
            None if after.is_some() => return Box::new(std::iter::empty()),
            None => {}
        }
        let entries = h.responses.range(start..prefix_end(b'p', survey_id));
        Box::new(entries.map(move |entry| {
            let _in_use = &h;
            self.note_read();
            let (key, value) = entry.map_err(|e| self.fail(e))?;
            let position = position_in(&key)?;
            Ok((position, SledStore::decode(&value)?))
        }))
    }

    fn erasure_mark(&self, survey_id: &str) -> Result<u64, StoreError> {
        // Both only grow, so their sum moves whenever either does.
        let erased = lock(&self.erasures).get(survey_id).copied().unwrap_or(0);
        Ok(self.reopens.load(std::sync::atomic::Ordering::SeqCst) + erased)
    }

    fn catalog_mark(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    fn claim_lease(
        &self,
        name: &str,
        holder: &str,
        hold_for: std::time::Duration,
    ) -> Result<bool, StoreError> {
        let now = std::time::Instant::now();
        let mut leases = lock(&self.leases);
        let free = leases
            .get(name)
            .is_none_or(|(held_by, until)| held_by == holder || *until <= now);
        if free {
            leases.insert(name.to_owned(), (holder.to_owned(), now + hold_for));
        }
        Ok(free)
    }

    fn position_of_receipt(&self, receipt: &str) -> Result<Option<u64>, StoreError> {
        let h = self.handles()?;
        Ok(receipts::find(&h.responses, receipt)
            .map_err(|e| self.fail(e))?
            .map(|place| place.position))
    }

    fn tallies(&self, survey_id: &str) -> Result<Vec<Tally>, StoreError> {
        let prefix = response_prefix(b'n', survey_id);
        self.handles()?
            .responses
            .scan_prefix(&prefix)
            .map(|entry| {
                let (key, value) = entry.map_err(|e| self.fail(e))?;
                parse_tally(&key[prefix.len()..], &value).ok_or_else(|| {
                    StoreError::Corrupt("a response count has the wrong shape".into())
                })
            })
            .collect()
    }

    fn find_receipt(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        let h = self.handles()?;
        let Some(place) = receipts::find(&h.responses, receipt).map_err(|e| self.fail(e))? else {
            return Ok(None);
        };
        let key = response_key(&place.survey_id, place.position);
        self.response_at(&h, &key, "a receipt").map(Some)
    }

    fn erase_response(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        // Under the writer's lock: a retry arriving now either finds the response
        // (and is told it is stored) or finds its tombstone (and is told it was erased).
        let _only_writer = self.writing.lock();
        let h = self.handles_to_write()?;
        let mut receipts = ReceiptIndex::new(&h.responses);
        let Some(place) = receipts.find(receipt).map_err(|e| self.fail(e))? else {
            return Ok(None);
        };
        let key = response_key(&place.survey_id, place.position);
        let mut batch = sled::Batch::default();
        let Some(body) = h.responses.get(&key).map_err(|e| self.fail(e))? else {
            // A dangling receipt: remove it so it stops pointing nowhere.
            receipts.remove(receipt).map_err(|e| self.fail(e))?;
            receipts.write_into(&mut batch);
            h.responses.apply_batch(batch).map_err(|e| self.fail(e))?;
            return Ok(None);
        };
        let response = SledStore::decode(&body)?;
        let now = OffsetDateTime::now_utc();
        self.remove_response(&h, (&mut batch, &mut receipts), &key, &response, now)?;
        receipts.write_into(&mut batch);
        self.adjust_tallies(
            &h,
            &mut batch,
            BTreeMap::from([(tally_key_of(&response), -1)]),
        )?;
        h.responses.apply_batch(batch).map_err(|e| self.fail(e))?;
        self.note_erasures(&response.survey_id, 1);
        Ok(Some(response))
    }

    fn purge_chunk_before(
        &self,
        survey_id: &str,
        cutoff: OffsetDateTime,
    ) -> Result<Option<u64>, StoreError> {
        self.handles_to_write()?;
        let purged = self.purge_chunk(survey_id, cutoff)?;
        if let Some(rows) = purged {
            self.note_erasures(survey_id, rows);
        }
        Ok(purged)
    }

    fn outcomes(&self, survey_id: &str) -> Result<Option<String>, StoreError> {
        self.handles()?
            .outcomes
            .get(survey_id)
            .map_err(|e| self.fail(e))?
            .map(|bytes| {
                String::from_utf8(bytes.to_vec()).map_err(|_| {
                    StoreError::Corrupt(format!("the updates of survey {survey_id} are not UTF-8"))
                })
            })
            .transpose()
    }

    fn all_outcomes(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.texts_by_survey(&self.handles()?.outcomes, "updates")
    }

    fn put_outcomes(&self, survey_id: &str, json: &str) -> Result<(), StoreError> {
        self.handles_to_write()?
            .outcomes
            .insert(survey_id, json.as_bytes())
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    fn replace_outcomes(
        &self,
        survey_id: &str,
        expected: Option<&str>,
        json: &str,
    ) -> Result<bool, StoreError> {
        let swapped = self
            .handles_to_write()?
            .outcomes
            .compare_and_swap(
                survey_id,
                expected.map(str::as_bytes),
                Some(json.as_bytes()),
            )
            .map_err(|e| self.fail(e))?;
        Ok(swapped.is_ok())
    }

    fn picture(&self, survey_id: &str, file: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .handles()?
            .pictures
            .get(picture_key(survey_id, file))
            .map_err(|e| self.fail(e))?
            .map(|bytes| bytes.to_vec()))
    }

    fn put_picture(&self, survey_id: &str, file: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.handles_to_write()?
            .pictures
            .insert(picture_key(survey_id, file), bytes)
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    fn population(&self, survey_id: &str) -> Result<Option<String>, StoreError> {
        self.handles()?
            .population
            .get(survey_id)
            .map_err(|e| self.fail(e))?
            .map(|bytes| {
                String::from_utf8(bytes.to_vec()).map_err(|_| {
                    StoreError::Corrupt(format!(
                        "the population of survey {survey_id} is not UTF-8"
                    ))
                })
            })
            .transpose()
    }

    fn put_population(&self, survey_id: &str, csv: &str) -> Result<(), StoreError> {
        self.handles_to_write()?
            .population
            .insert(survey_id, csv.as_bytes())
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    fn subscribe(&self, subscription: &Subscription) -> Result<Subscribed, StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let index = address_key(&subscription.survey_id, &subscription.email);
        if h.mail.get(&index).map_err(|e| self.fail(e))?.is_some() {
            return Ok(Subscribed::AlreadySubscribed);
        }
        let mut batch = sled::Batch::default();
        batch.insert(index, subscription.token.as_bytes());
        batch.insert(subscription_key(&subscription.token), encode(subscription)?);
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(Subscribed::Added)
    }

    fn subscription(&self, token: &str) -> Result<Option<Subscription>, StoreError> {
        self.read_subscription(&*self.handles()?, token)
    }

    fn unsubscribe(&self, token: &str) -> Result<bool, StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let Some(subscription) = self.read_subscription(&h, token)? else {
            return Ok(false);
        };
        let mut batch = sled::Batch::default();
        self.forget_subscription(&h, &subscription, &mut batch)?;
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(true)
    }

    fn subscription_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        let mut count = 0;
        for entry in self
            .handles()?
            .mail
            .scan_prefix(response_prefix(b'a', survey_id))
        {
            entry.map_err(|e| self.fail(e))?;
            count += 1;
        }
        Ok(count)
    }

    fn queue_updates(
        &self,
        survey_id: &str,
        published: &[String],
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let mut batch = sled::Batch::default();
        let mut queued = 0;
        for entry in h.mail.scan_prefix(response_prefix(b'a', survey_id)) {
            let (_, token) = entry.map_err(|e| self.fail(e))?;
            let token = String::from_utf8_lossy(&token).into_owned();
            let Some(mut subscription) = self.read_subscription(&h, &token)? else {
                continue;
            };
            let untold: Vec<&String> = published
                .iter()
                .filter(|id| !subscription.told.contains(id))
                .collect();
            if untold.is_empty() || subscription.ended {
                continue;
            }
            for update_id in untold {
                let job = MailJob {
                    token: token.clone(),
                    survey_id: survey_id.to_owned(),
                    update_id: update_id.clone(),
                    attempts: 0,
                    due: now,
                };
                let key = mail_key(&job);
                batch.insert(queued_key(&token, update_id), key.clone());
                batch.insert(key, encode(&job)?);
                subscription.told.push(update_id.clone());
                queued += 1;
            }
            batch.insert(subscription_key(&token), encode(&subscription)?);
        }
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(queued)
    }

    fn take_back_updates(
        &self,
        survey_id: &str,
        deleted: &[String],
        unpublished: &[String],
    ) -> Result<(), StoreError> {
        if deleted.is_empty() && unpublished.is_empty() {
            return Ok(());
        }
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let mut batch = sled::Batch::default();
        for entry in h.mail.scan_prefix(response_prefix(b'a', survey_id)) {
            let (_, token) = entry.map_err(|e| self.fail(e))?;
            let token = String::from_utf8_lossy(&token).into_owned();
            let Some(mut subscription) = self.read_subscription(&h, &token)? else {
                continue;
            };
            let before = subscription.told.len();
            let mut untell = Vec::new();
            for update_id in deleted.iter().chain(unpublished) {
                let index = queued_key(&token, update_id);
                let queued = h.mail.get(&index).map_err(|e| self.fail(e))?;
                if let Some(queued) = &queued {
                    batch.remove(index);
                    batch.remove(queued);
                }
                // A deleted update's id may name a new update one day: that one is news.
                // An unpublished one whose email had not gone yet goes if it is published again.
                if deleted.contains(update_id) || queued.is_some() {
                    untell.push(update_id.clone());
                }
            }
            subscription.told.retain(|id| !untell.contains(id));
            if subscription.told.len() != before {
                batch.insert(subscription_key(&token), encode(&subscription)?);
            }
        }
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn due_mail(&self, now: OffsetDateTime, limit: usize) -> Result<Vec<MailJob>, StoreError> {
        let h = self.handles()?;
        let mut due = Vec::new();
        let mut end = vec![b'q'];
        end.extend_from_slice(&sortable_time(now));
        end.push(0xff);
        for entry in h.mail.range(vec![b'q']..end).take(limit) {
            let (_, value) = entry.map_err(|e| self.fail(e))?;
            due.push(decode_record(&value, "a queued email")?);
        }
        Ok(due)
    }

    fn reschedule_mail(&self, job: &MailJob, retry: &MailJob) -> Result<(), StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let old = mail_key(job);
        // Only if still queued: a person who stopped the emails meanwhile took it off
        // the queue, and it stays off.
        if h.mail.get(&old).map_err(|e| self.fail(e))?.is_none() {
            return Ok(());
        }
        let new = mail_key(retry);
        let mut batch = sled::Batch::default();
        batch.remove(old);
        batch.insert(queued_key(&retry.token, &retry.update_id), new.clone());
        batch.insert(new, encode(retry)?);
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn hurry_mail(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let mut start = vec![b'q'];
        start.extend_from_slice(&sortable_time(now));
        start.push(0xff);
        let mut batch = sled::Batch::default();
        let mut hurried = 0;
        for entry in h.mail.range(start..vec![b'r']) {
            let (key, value) = entry.map_err(|e| self.fail(e))?;
            let job: MailJob = decode_record(&value, "a queued email")?;
            if job.attempts == 0 {
                continue;
            }
            let sooner = MailJob { due: now, ..job };
            let new = mail_key(&sooner);
            batch.remove(key);
            batch.insert(queued_key(&sooner.token, &sooner.update_id), new.clone());
            batch.insert(new, encode(&sooner)?);
            hurried += 1;
        }
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(hurried)
    }

    fn settle_mail(&self, job: &MailJob, how: Settled) -> Result<(), StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let key = mail_key(job);
        let mut batch = sled::Batch::default();
        batch.remove(queued_key(&job.token, &job.update_id));
        batch.remove(key.clone());
        if let Some(mut subscription) = self.read_subscription(&h, &job.token)? {
            match how {
                Settled::Undeliverable => {
                    self.forget_subscription(&h, &subscription, &mut batch)?;
                }
                Settled::Done { last } | Settled::TakenBack { last } => {
                    if let Settled::TakenBack { .. } = how {
                        subscription.told.retain(|id| *id != job.update_id);
                    }
                    subscription.ended |= last;
                    let index = queued_key(&job.token, &job.update_id);
                    if subscription.ended && !self.more_queued(&h, &job.token, &index)? {
                        self.forget_subscription(&h, &subscription, &mut batch)?;
                    } else {
                        batch.insert(subscription_key(&job.token), encode(&subscription)?);
                    }
                }
            }
        }
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn purge_subscriptions_before(
        &self,
        survey_id: &str,
        day: time::Date,
    ) -> Result<u64, StoreError> {
        let _one_at_a_time = lock(&self.mailing);
        let h = self.handles_to_write()?;
        let mut batch = sled::Batch::default();
        let mut removed = 0;
        for entry in h.mail.scan_prefix(response_prefix(b'a', survey_id)) {
            let (_, token) = entry.map_err(|e| self.fail(e))?;
            let Some(subscription) =
                self.read_subscription(&h, &String::from_utf8_lossy(&token))?
            else {
                continue;
            };
            if subscription.since < day {
                self.forget_subscription(&h, &subscription, &mut batch)?;
                removed += 1;
            }
        }
        h.mail.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(removed)
    }

    fn put_user(&self, user: &StaffUser) -> Result<(), StoreError> {
        self.put_staff(b'u', &user.name, user)
    }

    fn user(&self, name: &str) -> Result<Option<StaffUser>, StoreError> {
        self.handles()?
            .staff
            .get(staff_key(b'u', name))
            .map_err(|e| self.fail(e))?
            .map(|bytes| decode_record(&bytes, "a staff user"))
            .transpose()
    }

    fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        self.staff_records(b'u', "a staff user")
    }

    fn remove_user(&self, name: &str) -> Result<bool, StoreError> {
        self.remove_staff(b'u', name)
    }

    fn put_token(&self, token: &StaffToken) -> Result<(), StoreError> {
        let _only_writer = self.writing.lock();
        let h = self.handles_to_write()?;
        let key = staff_key(b't', &token.name);
        let mut batch = sled::Batch::default();
        if let Some(old) = h.staff.get(&key).map_err(|e| self.fail(e))? {
            let old: StaffToken = decode_record(&old, "a token")?;
            batch.remove(token_hash_key(&old.token_hash));
        }
        batch.insert(token_hash_key(&token.token_hash), token.name.as_bytes());
        batch.insert(key, encode(token)?);
        h.staff.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn tokens(&self) -> Result<Vec<StaffToken>, StoreError> {
        self.staff_records(b't', "a token")
    }

    fn token_by_hash(&self, token_hash: &str) -> Result<Option<StaffToken>, StoreError> {
        let h = self.handles()?;
        let Some(name) = h
            .staff
            .get(token_hash_key(token_hash))
            .map_err(|e| self.fail(e))?
        else {
            return Ok(None);
        };
        let Some(record) = h
            .staff
            .get(staff_key(b't', &String::from_utf8_lossy(&name)))
            .map_err(|e| self.fail(e))?
        else {
            return Ok(None);
        };
        let token: StaffToken = decode_record(&record, "a token")?;
        // The index is written with the token; this only guards against a bug.
        Ok((token.token_hash == token_hash).then_some(token))
    }

    fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        let _only_writer = self.writing.lock();
        let h = self.handles_to_write()?;
        let key = staff_key(b't', name);
        let Some(old) = h.staff.get(&key).map_err(|e| self.fail(e))? else {
            return Ok(false);
        };
        let old: StaffToken = decode_record(&old, "a token")?;
        let mut batch = sled::Batch::default();
        batch.remove(token_hash_key(&old.token_hash));
        batch.remove(key);
        h.staff.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(true)
    }

    fn put_collection(&self, collection: &Collection) -> Result<(), StoreError> {
        let h = self.handles_to_write()?;
        let mut batch = sled::Batch::default();
        batch.insert(
            staff_key(b'g', &collection.secret_hash),
            collection.id.as_bytes(),
        );
        batch.insert(staff_key(b'k', &collection.id), encode(collection)?);
        h.staff.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn collection(&self, id: &str) -> Result<Option<Collection>, StoreError> {
        self.handles()?
            .staff
            .get(staff_key(b'k', id))
            .map_err(|e| self.fail(e))?
            .map(|bytes| decode_record(&bytes, "a collection credential"))
            .transpose()
    }

    fn collection_by_hash(&self, secret_hash: &str) -> Result<Option<Collection>, StoreError> {
        let Some(id) = self
            .handles()?
            .staff
            .get(staff_key(b'g', secret_hash))
            .map_err(|e| self.fail(e))?
        else {
            return Ok(None);
        };
        let found = self.collection(&String::from_utf8_lossy(&id))?;
        // The index is written with the credential; this only guards against a bug.
        Ok(found.filter(|c| c.secret_hash == secret_hash))
    }

    fn collections(&self) -> Result<Vec<Collection>, StoreError> {
        self.staff_records(b'k', "a collection credential")
    }

    fn start_session(&self, secret_hash: &str, session: &StaffSession) -> Result<(), StoreError> {
        self.handles_to_write()?
            .sign_in
            .insert(session_key(secret_hash), encode(session)?)
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    fn session(
        &self,
        secret_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<StaffSession>, StoreError> {
        let h = self.handles()?;
        let key = session_key(secret_hash);
        let Some(bytes) = h.sign_in.get(&key).map_err(|e| self.fail(e))? else {
            return Ok(None);
        };
        let session: StaffSession = decode_record(&bytes, "a staff session")?;
        if !session.live_at(now) {
            // Only if unchanged; and the sweep deletes it anyway if this cannot.
            if let Err(error) = h
                .sign_in
                .compare_and_swap(&key, Some(bytes), None as Option<&[u8]>)
            {
                self.fail(error);
            }
            return Ok(None);
        }
        if !session.stale_at(now) {
            return Ok(Some(session));
        }
        let seen = session.seen(now);
        // Only if unchanged, so that a sign-out in between stays signed out.
        match h
            .sign_in
            .compare_and_swap(&key, Some(bytes), Some(encode(&seen)?))
        {
            Ok(Ok(())) => Ok(Some(seen)),
            // Changed meanwhile: seen by another request (still live), or ended.
            Ok(Err(changed)) => Ok(changed.current.is_some().then_some(seen)),
            // A disk that takes no writes does not sign staff out: reading still works,
            // and the session is only a minute less idle than it looks.
            Err(error) => {
                let error = self.fail(error);
                tracing::debug!(%error, "a session's last use could not be written");
                Ok(Some(session))
            }
        }
    }

    fn end_session(&self, secret_hash: &str) -> Result<bool, StoreError> {
        let removed = self
            .handles_to_write()?
            .sign_in
            .remove(session_key(secret_hash))
            .map_err(|e| self.fail(e))?;
        Ok(removed.is_some())
    }

    fn end_sessions_of(&self, user: &str) -> Result<u64, StoreError> {
        let h = self.handles_to_write()?;
        // Read whole: staff sessions are few (one per person and device), and swept.
        let mut ended = 0;
        for entry in h.sign_in.scan_prefix([b's']) {
            let (key, bytes) = entry.map_err(|e| self.fail(e))?;
            let of_user = decode_record::<StaffSession>(&bytes, "a staff session")
                .map_or(true, |session| session.user == user);
            // A session that cannot be read is ended too: it could be anyone's.
            if of_user && h.sign_in.remove(&key).map_err(|e| self.fail(e))?.is_some() {
                ended += 1;
            }
        }
        Ok(ended)
    }

    fn begin_sign_in(
        &self,
        brakes: &[Brake],
        now: OffsetDateTime,
    ) -> Result<SignInBegun, StoreError> {
        let _one_at_a_time = lock(&self.signing_in);
        let h = self.handles_to_write()?;
        let secret = self.brake_secret(&h)?;
        let mut read = Vec::with_capacity(brakes.len());
        for brake in brakes {
            let key = brake_row_key(&secret, brake)?;
            let failures: Option<Failures> = h
                .sign_in
                .get(&key)
                .map_err(|e| self.fail(e))?
                .map(|bytes| decode_record(&bytes, "a sign-in brake"))
                .transpose()?;
            read.push((key, brake, failures));
        }
        let counted = count_attempt(
            &read
                .iter()
                .map(|(_, brake, failures)| (*brake, *failures))
                .collect::<Vec<_>>(),
            now,
        );
        let counted = match counted {
            Ok(counted) => counted,
            Err(wait) => return Ok(SignInBegun::Wait(wait)),
        };
        let mut batch = sled::Batch::default();
        for ((key, _, _), failures) in read.into_iter().zip(counted) {
            batch.insert(key, encode(&failures)?);
        }
        h.sign_in.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(SignInBegun::Counted)
    }

    fn sign_in_succeeded(&self, brakes: &[Brake]) -> Result<(), StoreError> {
        let _one_at_a_time = lock(&self.signing_in);
        let h = self.handles_to_write()?;
        let secret = self.brake_secret(&h)?;
        let mut batch = sled::Batch::default();
        for brake in brakes {
            batch.remove(brake_row_key(&secret, brake)?);
        }
        h.sign_in.apply_batch(batch).map_err(|e| self.fail(e))
    }

    fn sweep_sign_ins(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let _one_at_a_time = lock(&self.signing_in);
        let h = self.handles_to_write()?;
        let mut batch = sled::Batch::default();
        let mut swept = 0;
        for entry in h.sign_in.iter() {
            let (key, bytes) = entry.map_err(|e| self.fail(e))?;
            // What cannot be read is of no use to anyone: it goes too.
            let over = match key.first() {
                Some(b's') => decode_record::<StaffSession>(&bytes, "a staff session")
                    .map_or(true, |session| !session.live_at(now)),
                Some(b'b') => decode_record::<Failures>(&bytes, "a sign-in brake")
                    .map_or(true, |failures| failures.forgotten_at(now)),
                _ => true,
            };
            if over {
                batch.remove(key);
                swept += 1;
            }
        }
        h.sign_in.apply_batch(batch).map_err(|e| self.fail(e))?;
        Ok(swept)
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let h = self.handles_to_write()?;
        let id = h.db.generate_id().map_err(|e| self.fail(e))?;
        h.audit
            .insert(id.to_be_bytes(), encode(entry)?)
            .map_err(|e| self.fail(e))?;
        Ok(())
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.handles()?
            .audit
            .iter()
            .values()
            .rev()
            .take(limit)
            .map(|value| decode_record(&value.map_err(|e| self.fail(e))?, "an audit entry"))
            .collect()
    }

    fn flush(&self) -> Result<(), StoreError> {
        let h = self.handles()?;
        h.db.flush().map_err(|e| self.fail(e))?;
        h.file.sync_all().map_err(|e| self.fail_io(&e))
    }

    /// A sled flush costs about 230 µs of CPU whatever it holds (a probe of sled alone:
    /// 240 µs per response at one response per flush, 24 at 22, 13 at 256), so under load
    /// a batch is worth letting grow.
    fn gathering(&self) -> Duration {
        GATHERING
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        self.handles()?
            .health
            .insert("last_check", &now.to_be_bytes()[..])
            .map_err(|e| self.fail(e))?;
        self.flush()
    }

    fn shed_memory(&self) -> Result<bool, StoreError> {
        if self.read_since_open.load(Ordering::Relaxed) < SHED_AFTER_READING {
            return Ok(false);
        }
        let last_write = Duration::from_millis(self.last_write_ms.load(Ordering::Relaxed));
        if self.opened_at.elapsed().saturating_sub(last_write) < SHED_WHEN_QUIET_FOR {
            return Ok(false);
        }
        // No write comes in between, and what was written is flushed as the database
        // closes: the reopened one has all of it, and nothing counted is lost (unlike a
        // reopen after a failure, this moves no erasure mark).
        let _only_writer = self.writing.lock();
        let _not_while_recovering = lock(&self.recovering);
        if lock(&self.failure).is_some() {
            return Ok(false);
        }
        // Held until the database is open again: whoever wants it meanwhile waits.
        let mut slot = self
            .handles
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(current) = slot.take() else {
            return Ok(false);
        };
        let old = match Arc::try_unwrap(current) {
            Ok(old) => old,
            Err(in_use) => {
                // A download is reading it: next time.
                *slot = Some(in_use);
                return Ok(false);
            }
        };
        let read = self.read_since_open.load(Ordering::Relaxed);
        if read < SHED_AFTER_READING {
            // Another shed came first.
            *slot = Some(Arc::new(old));
            return Ok(false);
        }
        if let Err(error) = old.db.flush() {
            *slot = Some(Arc::new(old));
            return Err(self.fail(error));
        }
        // Carried over: after erasures the tree's last position may be behind the last
        // one given, and positions must never go back (the running counts read after it).
        let positions = std::mem::take(&mut *old.positions.lock());
        old.close();
        let handles = self.open_again()?;
        *handles.positions.lock() = positions;
        *slot = Some(Arc::new(handles));
        crate::process_memory::return_free_memory();
        tracing::debug!(
            read,
            "reopened the data directory to let go of what long reads brought into memory"
        );
        Ok(true)
    }

    fn recover(&self) -> Result<(), StoreError> {
        if lock(&self.failure).is_none() {
            return Ok(());
        }
        // Whoever waits here while another recovers finds the failure cleared
        // (or its last attempt too recent) when it gets the lock.
        let _one_at_a_time = lock(&self.recovering);
        let reason = {
            let mut failure = lock(&self.failure);
            let Some(failure) = failure.as_mut() else {
                return Ok(());
            };
            // A probe and a reopen cost an fsync and a log replay: not on every
            // submission of a crowd whose phones all retry while the disk is full.
            if failure.last_attempt.elapsed() < RECOVERY_PAUSE {
                return Err(StoreError::Unavailable(failure.reason.clone()));
            }
            failure.last_attempt = Instant::now();
            failure.reason.clone()
        };
        // Reopening on a disk that is still full fails, and would leave nothing
        // to read from: first see whether the directory takes a write.
        if let Err(error) = probe(&self.dir) {
            return Err(self.fail_io(&error));
        }
        self.reopen(&reason)?;
        *lock(&self.failure) = None;
        // The new database proves itself with a real write and fsync; if that
        // fails, the failure is recorded again and the next recovery retries.
        self.check_writable()?;
        tracing::info!(data = %self.dir.display(), "the data directory takes writes again; the store was reopened from disk");
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Moving a data directory into a database (`voices-collector migrate`, issue 14).

impl SledStore {
    /// sled's own floor for reading a survey's responses: every one's bytes in the
    /// order stored, nothing decoded. `cargo xtask bench` holds the export to it.
    /// Returns how many responses, and their bytes.
    pub fn read_stored_bytes(&self, survey_id: &str) -> Result<(u64, u64), StoreError> {
        let h = self.handles()?;
        let (mut count, mut bytes) = (0, 0);
        for entry in h.responses.scan_prefix(response_prefix(b'p', survey_id)) {
            let (_, value) = entry.map_err(|e| self.fail(e))?;
            count += 1;
            bytes += value.len() as u64;
        }
        Ok((count, bytes))
    }

    /// Whether `dir` holds a collector's data (sled's own directory in it): `migrate`
    /// must not make an empty store of a mistyped path and report it moved.
    pub fn holds_data(dir: &Path) -> bool {
        dir.join("store").is_dir()
    }

    /// Reads every entry of `tree` under `prefix` (lazily, holding the handles as a
    /// download does), each through `read`.
    fn read_all<'a, T: Send + 'a>(
        &'a self,
        tree: impl Fn(&Handles) -> &sled::Tree,
        prefix: &[u8],
        read: impl Fn(&[u8], &[u8]) -> Result<T, StoreError> + Send + 'a,
    ) -> Reading<'a, T> {
        let h = match self.handles() {
            Ok(h) => h,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let entries = tree(&h).scan_prefix(prefix);
        Box::new(entries.map(move |entry| {
            let _in_use = &h;
            let (key, value) = entry.map_err(|e| self.fail(e))?;
            read(&key, &value)
        }))
    }
}

/// A survey's responses read in order of position, handed out in order of time: a
/// response's position is from its time to its time plus the survey's lag, so once
/// the positions read have passed a response's time by the lag, no response still to
/// be read is earlier. Holds only the responses within the lag of the last read (none
/// but the one read, when the lag is 0).
struct InTimeOrder<I, W> {
    entries: I,
    lag: u64,
    /// Whether a response's time is in the range asked for.
    within: W,
    /// The last position read (`None` before the first).
    read_to: Option<u64>,
    done: bool,
    waiting: BinaryHeap<Waiting>,
}

/// A response read but not yet handed out, first by time (then position).
struct Waiting {
    at: OffsetDateTime,
    position: u64,
    response: StoredResponse,
}

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.position) == (other.at, other.position)
    }
}

impl Eq for Waiting {}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Waiting {
    /// Reversed, so that the heap's top is the earliest.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.position).cmp(&(self.at, self.position))
    }
}

impl<I, W> InTimeOrder<I, W> {
    fn new(entries: I, lag: u64, within: W) -> Self {
        InTimeOrder {
            entries,
            lag,
            within,
            read_to: None,
            done: false,
            waiting: BinaryHeap::new(),
        }
    }
}

impl<I, W> Iterator for InTimeOrder<I, W>
where
    I: Iterator<Item = Result<(u64, StoredResponse), StoreError>>,
    W: Fn(OffsetDateTime) -> bool,
{
    type Item = Result<StoredResponse, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(first) = self.waiting.peek() {
                // Every response still to be read has a position after `read_to`, so a
                // time at least `read_to + 1 - lag` µs: later than this one's.
                let passed = self
                    .read_to
                    .is_some_and(|read_to| micros(first.at).saturating_add(self.lag) <= read_to);
                if self.done || passed {
                    return self.waiting.pop().map(|w| Ok(w.response));
                }
            }
            if self.done {
                return None;
            }
            match self.entries.next() {
                None => self.done = true,
                Some(Err(error)) => return Some(Err(error)),
                Some(Ok((position, response))) => {
                    self.read_to = Some(position);
                    if (self.within)(response.submitted_at) {
                        self.waiting.push(Waiting {
                            at: response.submitted_at,
                            position,
                            response,
                        });
                    }
                }
            }
        }
    }
}

/// A tombstone from its index entry: `s` survey 0 submission id → `x` and when, in seconds.
fn parse_tombstone(key: &[u8], value: &[u8]) -> Result<Option<Tombstone>, StoreError> {
    let Some(erased) = value.strip_prefix(&[TOMBSTONE]) else {
        // A stored response's index entry.
        return Ok(None);
    };
    let shape = || StoreError::Corrupt("an erased submission's entry has the wrong shape".into());
    let (head, submission_id) = key.split_last_chunk::<16>().ok_or_else(shape)?;
    let survey_id = match head {
        [b's', survey @ .., 0] => String::from_utf8(survey.to_vec()).map_err(|_| shape())?,
        _ => return Err(shape()),
    };
    let seconds = <[u8; 8]>::try_from(erased).map_err(|_| shape())?;
    Ok(Some(Tombstone {
        erased_at: OffsetDateTime::from_unix_timestamp(i64::from_be_bytes(seconds))
            .map_err(|_| shape())?,
        submission_id: Uuid::from_bytes(*submission_id),
        survey_id,
    }))
}

impl MoveSource for SledStore {
    fn every_response(&self) -> Reading<'_, StoredResponse> {
        // `p` survey 0 position: survey by survey, each in the order stored.
        self.read_all(|h| &h.responses, b"p", |_, value| SledStore::decode(value))
    }

    fn tombstones(&self) -> Reading<'_, Tombstone> {
        let entries = self.read_all(|h| &h.responses, b"s", parse_tombstone);
        Box::new(entries.filter_map(Result::transpose))
    }

    fn audit_log(&self) -> Reading<'_, LoggedAudit> {
        // Its key: sled's id for the line (unique in this directory, and in the order
        // written) and the SHA-256 of the line as stored. A rerun reads both unchanged, so
        // each line is recognised and moved once; the id alone could be another
        // directory's for a different line (two directories moved into one database), and
        // the digest alone would take two identical lines for one. The log is never
        // rewritten, so neither part changes while the line is there.
        self.read_all(
            |h| &h.audit,
            b"",
            |key, value| {
                let sequence = <[u8; 8]>::try_from(key).map_err(|_| {
                    StoreError::Corrupt("an audit entry's key has the wrong shape".into())
                })?;
                let digest = crate::staff::credentials::hex(&sha2::Sha256::digest(value));
                Ok(LoggedAudit {
                    key: format!("sled-{:016x}-{digest}", u64::from_be_bytes(sequence)),
                    entry: decode_record(value, "an audit entry")?,
                })
            },
        )
    }

    fn every_subscription(&self) -> Reading<'_, Subscription> {
        self.read_all(
            |h| &h.mail,
            b"s",
            |_, value| decode_record(value, "a subscription"),
        )
    }

    fn mail_queue(&self) -> Reading<'_, MailJob> {
        self.read_all(
            |h| &h.mail,
            b"q",
            |_, value| decode_record(value, "a queued email"),
        )
    }

    fn every_population(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.texts_by_survey(&self.handles()?.population, "population figures")
    }

    fn every_picture(&self) -> Result<Vec<SurveyPicture>, StoreError> {
        let mut all = Vec::new();
        for entry in self.handles()?.pictures.iter() {
            let (key, bytes) = entry.map_err(|e| self.fail(e))?;
            let (survey_id, file) = std::str::from_utf8(&key)
                .ok()
                .and_then(|key| key.split_once('\0'))
                .ok_or_else(|| StoreError::Corrupt("a picture's key is not survey\0file".into()))?;
            all.push(SurveyPicture {
                survey_id: survey_id.to_owned(),
                file: file.to_owned(),
                bytes: bytes.to_vec(),
            });
        }
        Ok(all)
    }
}

/// Where one of a survey's pictures is kept: survey id, NUL, file name (neither holds a
/// NUL: both are checked names).
fn picture_key(survey_id: &str, file: &str) -> Vec<u8> {
    [survey_id.as_bytes(), b"\0", file.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(survey_id: &str, hour: u8) -> StoredResponse {
        serde_json::from_value(serde_json::json!({
            "receipt": Receipt::generate(), "survey_id": survey_id, "survey_version": 1,
            "submitted_at": format!("2026-05-04T{hour:02}:00:00Z"),
            "submission_id": Uuid::new_v4(),
            "locale": "en", "channel": "online", "answers": {}
        }))
        .unwrap()
    }

    fn at(hour: u8) -> OffsetDateTime {
        time::macros::datetime!(2026-05-04 00:00 UTC) + Duration::from_secs(3600 * u64::from(hour))
    }

    /// A response whose stored bytes cannot be read is left out of time ranges and passed
    /// over by retention, which goes on with the rest; a full read still reports it.
    #[test]
    fn an_unreadable_response_stops_no_time_range_and_no_purge() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let stored: Vec<StoredResponse> = [1, 2, 3].map(|hour| response("poll", hour)).into();
        for outcome in store.insert_responses(&stored) {
            assert_eq!(outcome.unwrap(), InsertOutcome::Inserted);
        }
        let position = store
            .position_of_receipt(stored[1].receipt.as_str())
            .unwrap()
            .unwrap();
        let h = store.handles().unwrap();
        h.responses
            .insert(response_key("poll", position), &b"not a response"[..])
            .unwrap();
        let in_range: Vec<OffsetDateTime> = store
            .responses_submitted("poll", None, Some(at(5)))
            .map(|r| r.unwrap().submitted_at)
            .collect();
        assert_eq!(in_range, [at(1), at(3)]);
        assert!(store.responses("poll").any(|r| r.is_err()));
        assert_eq!(store.purge_chunk_before("poll", at(5)).unwrap(), Some(2));
        assert_eq!(store.purge_chunk_before("poll", at(5)).unwrap(), None);
    }

    /// A receipt bucket that cannot be read is the trouble of the responses whose receipts
    /// belong in it, not of the rest of their batch.
    #[test]
    fn a_damaged_receipt_bucket_fails_only_the_responses_that_need_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let first = response("poll", 1);
        store.insert_response(&first).unwrap();
        let key = receipts::bucket_key(first.receipt.as_str());
        let h = store.handles().unwrap();
        let bucket = h.responses.get(key).unwrap().unwrap();
        h.responses
            .insert(key, &bucket[..bucket.len() - 1])
            .unwrap();
        // A receipt that belongs in the damaged bucket, and one that does not.
        let mut unlucky = response("poll", 2);
        unlucky.receipt = std::iter::repeat_with(Receipt::generate)
            .find(|r| receipts::bucket_key(r.as_str()) == key && *r != first.receipt)
            .unwrap();
        let lucky = std::iter::repeat_with(|| response("poll", 3))
            .find(|r| receipts::bucket_key(r.receipt.as_str()) != key)
            .unwrap();
        let outcomes = store.insert_responses(&[unlucky, lucky.clone()]);
        assert!(
            matches!(&outcomes[0], Err(StoreError::Corrupt(why)) if why.contains("receipt index")),
            "{outcomes:?}"
        );
        assert!(
            matches!(outcomes[1], Ok(InsertOutcome::Inserted)),
            "{outcomes:?}"
        );
        assert_eq!(
            store.find_receipt(lucky.receipt.as_str()).unwrap(),
            Some(lucky)
        );
    }
}
