//! The PostgreSQL-backed [`Store`] (`--store postgres://...`): the only module that names PostgreSQL.
//!
//! Tables (created and migrated by the collector itself, see [`MIGRATIONS`]):
//!
//! - `schema_version`: one row per migration applied. A database whose newest row is
//!   newer than this collector knows is refused, not guessed at.
//! - `surveys` (id, version) → the definition as published.
//! - `submissions` (survey, submission id): one row per submission id ever stored, kept
//!   when its response is erased (`erased_at` set): the tombstone. Its primary key is
//!   what makes a response stored once per submission id, across every connection and
//!   every collector process: `INSERT ... ON CONFLICT DO NOTHING`, never a check first.
//! - `responses`: the response as the JSON sled keeps (in a `json` column, which keeps the
//!   text as written, so a retry compares with exactly what was stored), with its
//!   position (an identity column), receipt (unique), submission id, and the columns the
//!   time index, retention and the counts need.
//! - `tallies` (survey, day, version, channel) → count, changed in the same statement as
//!   the response it counts.
//! - `users`, `tokens` (with a unique digest), `collections` (likewise), `audit` (in
//!   order of an identity column), `outcomes`, `population`, `subscriptions` (unique per
//!   survey and address digest, as on sled) and `mail_queue` (deleted with its
//!   subscription), `health` (the row `check_writable` writes).
//! - `staff_sessions` (schema 3): each signed-in session under the SHA-256 of its cookie's
//!   secret, with its account and when it ends unless used (to sweep and to end an
//!   account's sessions by index), so any collector on the database finds it.
//! - `sign_in_brakes` (schema 3): failed sign-ins per brake, keyed by an HMAC of whom the
//!   brake counts with `store_secrets`' `brakes` secret, never an address or a name; a
//!   row goes [`super::BRAKE_MEMORY`] after its last failure. A sign-in's check and count
//!   is one transaction with its rows locked (`SELECT ... FOR UPDATE`, made first so that
//!   new ones lock too), so collectors counting at once count one by one.
//! - `pictures` (schema 6): a survey's pictures (survey, file name) → the file's bytes.
//! - `moved`: what `voices-collector migrate` moved in from a data directory, so a rerun
//!   moves nothing twice (see [`SCHEMA_4_MOVED_LEDGER`] and [`MoveTarget`]).
//!
//! Every write is one statement (a chain of data-modifying `WITH` clauses), or one
//! transaction, committed before the method returns: with `synchronous_commit` on (the
//! store turns it on for its own sessions if the server has it off), a commit is durable,
//! so [`Store::flush`] has nothing left to do.
//!
//! Positions: a response's position comes from an identity column, drawn under its
//! survey's advisory position lock, taken shared and held until the insert ends, so any
//! number of inserts, in any collector, store at once and commit in any order. A reader
//! of what came after a position ([`Store::responses_after`]) first takes the lock
//! exclusively for a moment, which waits for the inserts in flight, and reads no further
//! than the largest position then ([`SETTLED_POSITION`]): whatever commits later has a
//! larger one, so a reader that remembers the last position it saw misses nothing.
//!
//! Group commit: the writer's batches ([`Store::insert_responses`]) are one transaction
//! each, so one commit (one wait for the disk) serves the whole batch, and one statement
//! (one round trip) stores it; the writer has [`BATCHES_AT_ONCE`] of them on their way
//! at once, so one is inserted while another waits for its commit. The transaction takes
//! the position locks of the batch's surveys first, in the order of their keys (as does
//! anything that takes them exclusively), so no two transactions wait on each other in a
//! circle; a known submission id or a receipt in use is an outcome, not an error, so no
//! response spoils another's transaction (a batch that fails anyway is stored again one
//! response per transaction); and the counts are added once per batch.
//!
//! Reads that may be long (`responses`, `responses_submitted`, `responses_after`) go page
//! by page (keyset pagination on the position or the time index): constant memory, and no
//! connection or transaction held between two pages.
//!
//! Connections: a small pool of its own (see [`Pool`]). When the database cannot be
//! reached every call answers [`StoreError::Unavailable`] at once, and a new connection is
//! tried at most once per [`RECOVERY_PAUSE`]: the collector recovers without a restart
//! once the database is back. A call that finds its connection closed (the server
//! restarted) is tried once more on a new one; every write is safe to repeat (a response
//! by its submission id, the rest by their keys).
//!
//! Several collectors on one database also share `changes` (marks that move when one of
//! them publishes, changes updates or erases: see [`Store::catalog_mark`] and
//! [`Store::erasure_mark`]) and `leases` (work done once for the whole store, on the
//! database's clock: [`Store::claim_lease`]).
//!
//! TLS: `sslmode=require` (see [`parse_url`]) encrypts and checks the server's certificate
//! and name, against the Mozilla roots or the `sslrootcert` file.

use std::collections::{HashMap, VecDeque};
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::receipt::Receipt;
use postgres::config::{Host, SslMode};
use postgres::error::SqlState;
use postgres::types::{FromSql, ToSql};
use postgres::{Client, Config, NoTls, Row, Statement};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tokio_postgres_rustls::MakeRustlsConnect;
use uuid::Uuid;
use voices_shared::Channel;

use super::{
    AuditEntry, BRAKE_MEMORY, Brake, Collection, Failures, InsertOutcome, LoggedAudit, MailJob,
    MoveTarget, Moved, PublishOutcome, RECOVERY_PAUSE, Settled, SignInBegun, StaffSession,
    StaffToken, StaffUser, Store, StoreError, StoredResponse, StoredSurvey, Submitted, Subscribed,
    Subscription, SurveyPicture, Tally, Tombstone, brake_key, count_attempt, new_secret,
};

/// Batches of responses the writer stores at once ([`Store::batches_at_once`]): while
/// one waits for its commit to reach the disk, the next is already being inserted. More
/// split the same load into smaller batches, which costs the collector and the database
/// more CPU per response: on the two-core bench machine, 3 and 4 took fewer responses a
/// second than 2 (BENCHMARKS.md).
const BATCHES_AT_ONCE: usize = 2;

/// Connections to the database at most. The database server's cores bound how many
/// statements run at once; the collector's own work is the writer's batches, a few
/// staff requests, a download and the mail sender.
const POOL_SIZE: usize = BATCHES_AT_ONCE + 4;

/// How long a call waits for a free connection before it answers 503.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// How long connecting may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection whose server stopped answering (a network cut without a reset) counts as
/// lost after about this long: an idle one by TCP keepalives (the client library's default
/// waits two hours), one with a query sent by the kernel's user timeout.
const DEAD_AFTER: Duration = Duration::from_secs(30);

/// Rows read per page by the long reads.
const PAGE: i64 = 256;

/// Most responses one chunk of a retention purge erases (as on sled).
const PURGE_CHUNK: i64 = 500;

/// Times a call is tried when its connection was lost or the database chose it as a
/// deadlock's victim.
const ATTEMPTS: usize = 3;

/// The advisory lock every migration runs under, so two collectors starting at once do
/// not both migrate ("voices" in ASCII).
const MIGRATION_LOCK: i64 = 0x766f_6963_6573;

/// The first key of the per-survey advisory lock under which positions are drawn ("voic").
const POSITION_LOCK: i32 = 0x766f_6963;

/// The schema, one migration per version, applied in order in one transaction each. A
/// released migration is never edited: a change is a new one.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, SCHEMA_1),
    (2, SCHEMA_2_SHARED),
    (3, SCHEMA_3_SESSIONS),
    (4, SCHEMA_4_MOVED_LEDGER),
    (5, SCHEMA_5_SHARED_POSITIONS),
    (6, SCHEMA_6_PICTURES),
];

/// The pictures a survey shows in Easy Read, published with it.
const SCHEMA_6_PICTURES: &str = r#"
CREATE TABLE pictures (
    survey_id TEXT COLLATE "C" NOT NULL,
    file TEXT COLLATE "C" NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (survey_id, file)
);
"#;

/// Nothing to change in the tables, but a fence: from this schema on, collectors insert
/// under the position lock taken shared, so positions commit out of order, and only a
/// reader that stops at the settled position ([`SETTLED_POSITION`]) misses nothing. A
/// collector from before refuses a database at this schema (newer than it knows) rather
/// than read past a position still in flight. The comment says so to whoever looks.
const SCHEMA_5_SHARED_POSITIONS: &str = r#"
COMMENT ON COLUMN responses.position IS
    'Drawn under the survey''s advisory position lock, taken shared by inserts; a reader that follows positions reads no further than the largest one once the lock is taken exclusively (Voices schema 5).';
"#;

/// What several collectors on one database need to share: marks that move when one of
/// them changes what the others keep in memory, and leases for work done once.
const SCHEMA_2_SHARED: &str = r#"
CREATE TABLE changes (
    what TEXT COLLATE "C" PRIMARY KEY,
    count BIGINT NOT NULL
);

CREATE TABLE leases (
    name TEXT COLLATE "C" PRIMARY KEY,
    holder TEXT NOT NULL,
    until TIMESTAMPTZ NOT NULL
);
"#;

/// Moves a mark in `changes` (see [`Store::erasure_mark`], [`Store::catalog_mark`]).
const NOTE_CHANGE: &str = "INSERT INTO changes (what, count) VALUES ($1, $2)
     ON CONFLICT (what) DO UPDATE SET count = changes.count + excluded.count";

const SCHEMA_1: &str = r#"
CREATE TABLE surveys (
    id TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 0),
    definition TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE submissions (
    survey_id TEXT COLLATE "C" NOT NULL,
    submission_id UUID NOT NULL,
    erased_at TIMESTAMPTZ,
    PRIMARY KEY (survey_id, submission_id)
);

CREATE TABLE responses (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id TEXT COLLATE "C" NOT NULL,
    submission_id UUID NOT NULL,
    receipt TEXT COLLATE "C" NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    submitted_ns SMALLINT NOT NULL CHECK (submitted_ns BETWEEN 0 AND 999),
    day DATE NOT NULL,
    version BIGINT NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    body JSON NOT NULL,
    CONSTRAINT responses_receipt_unique UNIQUE (receipt),
    CONSTRAINT responses_submission_unique UNIQUE (survey_id, submission_id),
    FOREIGN KEY (survey_id, submission_id) REFERENCES submissions
);
CREATE INDEX responses_by_survey ON responses (survey_id, position);
CREATE INDEX responses_by_time ON responses (survey_id, submitted_at, submitted_ns, position);

CREATE TABLE tallies (
    survey_id TEXT COLLATE "C" NOT NULL,
    day DATE NOT NULL,
    version BIGINT NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    count BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (survey_id, day, version, channel)
);

CREATE TABLE outcomes (
    survey_id TEXT COLLATE "C" PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE population (
    survey_id TEXT COLLATE "C" PRIMARY KEY,
    figures BYTEA NOT NULL
);

CREATE TABLE users (
    name TEXT COLLATE "C" PRIMARY KEY,
    record JSON NOT NULL
);

CREATE TABLE tokens (
    name TEXT COLLATE "C" PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    record JSON NOT NULL
);

CREATE TABLE collections (
    id TEXT COLLATE "C" PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    record JSON NOT NULL
);

CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry JSON NOT NULL
);

CREATE TABLE subscriptions (
    token TEXT COLLATE "C" PRIMARY KEY,
    survey_id TEXT COLLATE "C" NOT NULL,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    locale TEXT NOT NULL,
    since DATE NOT NULL,
    told TEXT[] NOT NULL,
    ended BOOLEAN NOT NULL,
    CONSTRAINT subscriptions_address_unique UNIQUE (survey_id, address)
);

CREATE TABLE mail_queue (
    token TEXT COLLATE "C" NOT NULL REFERENCES subscriptions ON DELETE CASCADE,
    update_id TEXT COLLATE "C" NOT NULL,
    survey_id TEXT COLLATE "C" NOT NULL,
    attempts BIGINT NOT NULL,
    due TIMESTAMPTZ NOT NULL,
    due_ns SMALLINT NOT NULL CHECK (due_ns BETWEEN 0 AND 999),
    PRIMARY KEY (token, update_id)
);
CREATE INDEX mail_queue_by_due ON mail_queue (due, due_ns, token, update_id);

CREATE TABLE health (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    checked_at TIMESTAMPTZ NOT NULL
);
"#;

/// Staff sessions and the sign-in brakes, shared by every collector on the database
/// (issue 14), and the store's own secrets.
const SCHEMA_3_SESSIONS: &str = r#"
CREATE TABLE staff_sessions (
    secret_hash TEXT COLLATE "C" PRIMARY KEY,
    user_name TEXT COLLATE "C" NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    record JSON NOT NULL
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_name);
CREATE INDEX staff_sessions_by_end ON staff_sessions (ends_at);

CREATE TABLE sign_in_brakes (
    key TEXT COLLATE "C" PRIMARY KEY,
    failures BIGINT NOT NULL CHECK (failures >= 0),
    last_failure TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_brakes_by_last ON sign_in_brakes (last_failure);

CREATE TABLE store_secrets (
    name TEXT COLLATE "C" PRIMARY KEY,
    secret BYTEA NOT NULL
);
"#;

/// What `voices-collector migrate` moved in (issue 14), by kind and key: users, tokens,
/// collection credentials, updates, population figures, subscriptions, queued emails and
/// audit lines. A rerun finds them here, so it moves nothing twice: not an audit line
/// (which has no key of its own in the `audit` table), and not a record deleted in the
/// database since it was moved (a removed user, a revoked token, an address that stopped
/// the emails, an email sent), which would otherwise come back. `digest` is the SHA-256 of
/// what was moved, so a record changed in the data directory since is reported, not
/// skipped in silence; NULL where a later change is the database's own business.
/// Responses need no row here: their submission ids are kept for good (`submissions`).
const SCHEMA_4_MOVED_LEDGER: &str = r#"
CREATE TABLE moved (
    kind TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    digest TEXT,
    moved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);
"#;

/// The newest schema this collector knows.
fn latest_schema() -> i32 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// Stores a response unless its submission id is known: one statement, so one commit.
/// `locked` draws the survey's position lock first; `claimed` is empty when the
/// submission id is already there (stored, or erased), and then nothing else happens.
/// A receipt already in use fails the whole statement on `responses_receipt_unique`.
const INSERT_RESPONSE: &str = r#"
WITH locked AS (
    SELECT pg_advisory_xact_lock_shared($10, hashtext($1))
), claimed AS (
    INSERT INTO submissions (survey_id, submission_id)
    SELECT $1, $2 FROM locked
    ON CONFLICT DO NOTHING
    RETURNING survey_id, submission_id
), stored AS (
    INSERT INTO responses (survey_id, submission_id, receipt, submitted_at, submitted_ns,
                           day, version, channel, body)
    SELECT survey_id, submission_id, $3, $4, $5, $6, $7, $8, $9::text::json FROM claimed
    RETURNING position
), counted AS (
    INSERT INTO tallies (survey_id, day, version, channel, count)
    SELECT $1, $6, $7, $8, 1 FROM stored
    ON CONFLICT (survey_id, day, version, channel) DO UPDATE SET count = tallies.count + 1
)
SELECT position FROM stored
"#;

/// Stores a batch of responses in one statement, in a transaction that already holds
/// their surveys' position locks ([`Store::insert_responses`]): the parameters are one
/// array per column, a response per index. Nothing in it fails on what a submission may
/// meet: a known submission id (stored or erased) claims nothing, a receipt in use stores
/// nothing (and leaves the claim for the caller to take back), and a second copy of a
/// submission in the same batch finds the first stored. Submission ids are claimed in
/// key order, so batches in flight at once that share some (a retry sent to two
/// collectors) wait on each other in one direction, never in a circle. Responses are
/// stored, and so draw their positions, in the order given; the counts are added once
/// per batch, in key order too.
/// Returns, in the order given, whether each one's submission id was claimed by this
/// batch and the receipt stored for it by this batch, if any.
const INSERT_BATCH: &str = r#"
WITH given AS (
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int2[],
                         $6::date[], $7::int8[], $8::text[], $9::text[])
        WITH ORDINALITY AS given (survey_id, submission_id, receipt, submitted_at,
                                  submitted_ns, day, version, channel, body, n)
), claimed AS (
    INSERT INTO submissions (survey_id, submission_id)
    SELECT survey_id, submission_id FROM given ORDER BY survey_id, submission_id
    ON CONFLICT DO NOTHING
    RETURNING survey_id, submission_id
), stored AS (
    INSERT INTO responses (survey_id, submission_id, receipt, submitted_at, submitted_ns,
                           day, version, channel, body)
    SELECT g.survey_id, g.submission_id, g.receipt, g.submitted_at, g.submitted_ns,
           g.day, g.version, g.channel, g.body::json
    FROM given g JOIN claimed c USING (survey_id, submission_id)
    ORDER BY g.n
    ON CONFLICT DO NOTHING
    RETURNING survey_id, submission_id, receipt, day, version, channel
), counted AS (
    INSERT INTO tallies (survey_id, day, version, channel, count)
    SELECT survey_id, day, version, channel, count(*) FROM stored
    GROUP BY survey_id, day, version, channel
    ORDER BY survey_id, day, version, channel
    ON CONFLICT (survey_id, day, version, channel) DO UPDATE SET count = tallies.count + excluded.count
)
SELECT c.submission_id IS NOT NULL, s.receipt
FROM given g
LEFT JOIN claimed c USING (survey_id, submission_id)
LEFT JOIN stored s USING (survey_id, submission_id)
ORDER BY g.n
"#;

/// The keys of the position locks of some surveys (as [`INSERT_RESPONSE`] draws them).
const POSITION_LOCK_KEYS: &str =
    "SELECT DISTINCT hashtext(survey) FROM unnest($1::text[]) AS survey";

const FIND_SUBMISSION: &str = "
SELECT s.erased_at IS NOT NULL, r.body::text
FROM submissions s
LEFT JOIN responses r ON r.survey_id = s.survey_id AND r.submission_id = s.submission_id
WHERE s.survey_id = $1 AND s.submission_id = $2
";

/// A page of a survey's responses after a position, up to a position known settled
/// ([`SETTLED_POSITION`]).
const RESPONSES_PAGE: &str = "
SELECT position, body::text FROM responses
WHERE survey_id = $1 AND position > $2 AND position <= $4
ORDER BY position
LIMIT $3
";

/// The largest position of a survey's responses once every insert that drew one so far
/// has committed or rolled back. Inserts hold the survey's position lock shared until
/// they end, so any number store at once; taking it exclusively waits for those in
/// flight, and the statement after it sees all they stored (PostgreSQL makes a commit
/// visible before it lets go of the transaction's locks). Any insert that has not drawn
/// a position yet draws a larger one (the identity column hands out one value at a time,
/// as it was made: with a cache, a session could hold smaller ones back), so a reader
/// that reads up to here and later on from here misses nothing, though inserts commit in
/// any order. New inserts of the survey queue behind the exclusive request meanwhile, so
/// a reader holds up that survey's submissions for about one commit; it waits at most
/// [`SETTLE_WAIT`]. Run in a transaction, which ends the lock.
const SETTLED_POSITION: &str =
    "SELECT coalesce(max(position), 0) FROM responses WHERE survey_id = $1";

/// How long a reader waits for a survey's inserts in flight to end ([`SETTLED_POSITION`])
/// before it answers 503: they end with their commit, unless something holds them up.
const SETTLE_WAIT: &str = "SET LOCAL lock_timeout = '5s'";

/// A page of the time index after (time, nanoseconds, position), up to an end.
const TIME_PAGE_UNTIL: &str = "
SELECT position, submitted_at, submitted_ns, body::text FROM responses
WHERE survey_id = $1 AND (submitted_at, submitted_ns, position) > ($2, $3, $4)
  AND (submitted_at, submitted_ns) <= ($5, $6)
ORDER BY submitted_at, submitted_ns, position
LIMIT $7
";

const TIME_PAGE: &str = "
SELECT position, submitted_at, submitted_ns, body::text FROM responses
WHERE survey_id = $1 AND (submitted_at, submitted_ns, position) > ($2, $3, $4)
ORDER BY submitted_at, submitted_ns, position
LIMIT $5
";

/// Erases a response: it goes, its submission id becomes a tombstone and its count
/// goes down, in one statement.
const ERASE_RESPONSE: &str = "
WITH gone AS (
    DELETE FROM responses WHERE receipt = $1
    RETURNING survey_id, submission_id, day, version, channel, body
), tombstone AS (
    UPDATE submissions s SET erased_at = $2 FROM gone
    WHERE s.survey_id = gone.survey_id AND s.submission_id = gone.submission_id
), uncounted AS (
    UPDATE tallies t SET count = GREATEST(t.count - 1, 0) FROM gone
    WHERE t.survey_id = gone.survey_id AND t.day = gone.day
      AND t.version = gone.version AND t.channel = gone.channel
), noted AS (
    INSERT INTO changes (what, count) SELECT 'erased:' || survey_id, 1 FROM gone
    ON CONFLICT (what) DO UPDATE SET count = changes.count + excluded.count
)
SELECT body::text FROM gone
";

/// Erases a chunk of a survey's oldest responses submitted before a time, as
/// [`ERASE_RESPONSE`] does one; rows another purge is erasing are skipped.
const PURGE_CHUNK_SQL: &str = "
WITH doomed AS (
    DELETE FROM responses WHERE position IN (
        SELECT position FROM responses
        WHERE survey_id = $1 AND (submitted_at, submitted_ns) < ($2, $3)
        ORDER BY submitted_at, submitted_ns, position
        LIMIT $4
        FOR UPDATE SKIP LOCKED)
    RETURNING survey_id, submission_id, day, version, channel
), tombstones AS (
    UPDATE submissions s SET erased_at = $5 FROM doomed d
    WHERE s.survey_id = d.survey_id AND s.submission_id = d.submission_id
), uncounted AS (
    UPDATE tallies t SET count = GREATEST(t.count - c.n, 0)
    FROM (SELECT survey_id, day, version, channel, count(*) AS n
          FROM doomed GROUP BY survey_id, day, version, channel) c
    WHERE t.survey_id = c.survey_id AND t.day = c.day
      AND t.version = c.version AND t.channel = c.channel
), noted AS (
    INSERT INTO changes (what, count)
    SELECT 'erased:' || survey_id, count(*) FROM doomed GROUP BY survey_id
    ON CONFLICT (what) DO UPDATE SET count = changes.count + excluded.count
)
SELECT count(*) FROM doomed
";

const SUBSCRIPTION_COLUMNS: &str = "SELECT token, survey_id, email, locale, since, told, ended FROM subscriptions WHERE token = $1";

const SUBSCRIPTION_FOR_UPDATE: &str = "SELECT token, survey_id, email, locale, since, told, ended FROM subscriptions WHERE token = $1 FOR UPDATE";

/// What went wrong inside a call: the database's error (mapped, and perhaps retried, by
/// [`PostgresStore::run`]) or a store error decided on the way.
enum Failed {
    Db(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Failed {
    fn from(error: postgres::Error) -> Failed {
        Failed::Db(error)
    }
}

impl From<StoreError> for Failed {
    fn from(error: StoreError) -> Failed {
        Failed::Store(error)
    }
}

/// A database error in words, with the server's own message and code when it sent one
/// (`postgres::Error`'s `Display` alone says only "db error").
fn describe(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What a database error means, in general words, with its SQLSTATE: what a respondent's
/// browser may be told (a 503). Never the server's own text, which can name the database,
/// its user and host, and the collector's address; that goes to the log ([`explain`]).
fn explain_briefly(error: &postgres::Error) -> String {
    let full = explain(error);
    match error.code() {
        Some(code) => {
            let why = full
                .split(": ")
                .next()
                .unwrap_or("the database refused the request");
            format!("{why} (SQLSTATE {})", code.code())
        }
        None if full.starts_with("the database's TLS certificate is not trusted") => {
            "the database's TLS certificate is not trusted".into()
        }
        None => "the database cannot be reached".into(),
    }
}

/// What a database error means for whoever has to fix it, with the server's own words:
/// for the log and the operator at start-up, never a browser (see [`explain_briefly`]).
fn explain(error: &postgres::Error) -> String {
    let said = describe(error);
    let Some(code) = error.code() else {
        if said.contains("TLS handshake") && said.contains("certificate") {
            return format!(
                "the database's TLS certificate is not trusted ({said}): if a certificate \
                 authority of your own signed it, give that authority's certificate in \
                 sslrootcert=/path/to/ca.pem in the URL (or PGSSLROOTCERT)"
            );
        }
        return format!("the database cannot be reached: {said}");
    };
    let why = match code.code() {
        "53100" => "the database server's disk is full",
        "53200" => "the database server is out of memory",
        "53300" => "the database server has no connection slots left",
        "25006" => "the database is read-only (is this a standby server?)",
        "57P01" | "57P02" | "57P03" => "the database server is shutting down or starting up",
        "28000" | "28P01" => "the database refused the collector's user name or password",
        "3D000" => "the database does not exist",
        "42501" => "the database refused the collector's user the right to do this",
        "40001" | "40P01" => "the database gave up on a transaction that collided with another",
        "22021" => "the database cannot keep a text with a NUL character",
        _ if code.code().starts_with("08") => "the connection to the database was lost",
        _ => "the database refused the request",
    };
    format!("{why}: {said}")
}

/// Whether the connection a call used is no good any more: lost, or the server going away.
fn connection_lost(error: &postgres::Error) -> bool {
    error.is_closed()
        || match error.code() {
            None => error.as_db_error().is_none(),
            Some(code) => {
                code.code().starts_with("08") || matches!(code.code(), "57P01" | "57P02" | "57P03")
            }
        }
}

/// Whether the same call may simply run again: the database gave it up as a deadlock's
/// victim or a serialization failure, or a schema change made a cached plan stale.
fn worth_retrying(error: &postgres::Error) -> bool {
    error.code().is_some_and(|code| {
        *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::T_R_SERIALIZATION_FAILURE
            || (*code == SqlState::FEATURE_NOT_SUPPORTED
                && error
                    .as_db_error()
                    .is_some_and(|db| db.message().contains("cached plan")))
    })
}

/// Whether `error` is the unique constraint `constraint` refusing a row.
fn violates(error: &postgres::Error, constraint: &str) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
        && error
            .as_db_error()
            .and_then(|db| db.constraint())
            .is_some_and(|c| c == constraint)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One column of a row, or why it could not be read.
fn column<'a, T: FromSql<'a>>(row: &'a Row, index: usize, what: &str) -> Result<T, StoreError> {
    row.try_get(index)
        .map_err(|e| StoreError::Corrupt(format!("{what}: {}", describe(&e))))
}

fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn decode_response(json: &str) -> Result<StoredResponse, StoreError> {
    decode(json, "a stored response")
}

fn version_in(value: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} has version {value}")))
}

fn position_in(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value)
        .map_err(|_| StoreError::Corrupt(format!("a response has position {value}")))
}

fn count_in(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// A time as PostgreSQL keeps it, exactly: the whole microseconds (a `timestamptz`) and
/// the nanoseconds past them (0 to 999), so times sort and compare as they do here.
fn split_time(at: OffsetDateTime) -> Result<(OffsetDateTime, i16), StoreError> {
    let nanos = at.unix_timestamp_nanos();
    let rest = i16::try_from(nanos.rem_euclid(1000))
        .map_err(|_| StoreError::Corrupt("a time's nanoseconds".into()))?;
    let whole = OffsetDateTime::from_unix_timestamp_nanos(nanos - i128::from(rest))
        .map_err(|e| StoreError::Corrupt(format!("a time out of range: {e}")))?;
    Ok((whole, rest))
}

fn join_time(at: OffsetDateTime, nanos: i16) -> Result<OffsetDateTime, StoreError> {
    at.checked_add(time::Duration::nanoseconds(i64::from(nanos)))
        .ok_or_else(|| StoreError::Corrupt("a stored time is out of range".into()))
}

/// The earliest time PostgreSQL keeps (it refuses earlier ones): no row is before it,
/// so it starts a read of the time index from the beginning.
fn earliest() -> OffsetDateTime {
    time::Date::from_calendar_date(-4712, time::Month::January, 1)
        .map_or(OffsetDateTime::UNIX_EPOCH, |day| {
            day.midnight().assume_utc()
        })
}

/// A database URL as it may be shown: without its password.
fn describe_config(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let database = config.get_dbname().unwrap_or_default();
    format!("postgres://{user}{}/{database}", hosts.join(","))
}

/// Reads a `postgres://` (or `postgresql://`) URL into a connection configuration.
/// Without a password in it, `PGPASSWORD` is used as libpq does.
/// How the collector reaches its database: PostgreSQL's own settings, and TLS when the URL
/// asks for it.
pub(super) struct Target {
    config: Config,
    /// With `sslmode=require`: connections are encrypted, and the server's certificate is
    /// checked against the Mozilla roots, or the CA certificates in `sslrootcert`.
    tls: Option<MakeRustlsConnect>,
}

pub(super) fn parse_url(url: &str) -> Result<Target, String> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(
            "a database is given as a URL: postgres://USER@HOST:PORT/DATABASE (the password \
             in PGPASSWORD, or in the URL)"
                .into(),
        );
    }
    // libpq's `sslrootcert` (or its PGSSLROOTCERT) is read here: the client library does not
    // know it.
    let (url, root_cert) = take_root_cert(url);
    let root_cert = root_cert.or_else(|| {
        std::env::var_os("PGSSLROOTCERT")
            .filter(|path| !path.is_empty())
            .map(PathBuf::from)
    });
    let url = url.as_str();
    let mut config = Config::from_str(url).map_err(|e| {
        format!(
            "the database URL cannot be read ({}); write it as postgres://USER@HOST:PORT/DATABASE",
            describe(&e)
        )
    })?;
    if config.get_hosts().is_empty() {
        return Err(
            "the database URL names no host; write it as postgres://USER@HOST:PORT/DATABASE".into(),
        );
    }
    if config.get_user().is_none() {
        return Err(
            "the database URL names no user; write it as postgres://USER@HOST:PORT/DATABASE".into(),
        );
    }
    let tls = match (config.get_ssl_mode(), root_cert) {
        (SslMode::Require, root_cert) => Some(tls_connector(root_cert.as_deref())?),
        (_, Some(path)) => {
            return Err(format!(
                "sslrootcert={} is given, but not sslmode=require: add sslmode=require to \
                 the URL, so that the connection is encrypted and the certificate checked",
                path.display()
            ));
        }
        // Without sslmode=require, unencrypted: a server offering TLS with a certificate
        // nobody can check (Debian's own, say) must not stop the collector working.
        (_, None) => None,
    };
    if config.get_password().is_none()
        && let Ok(password) = std::env::var("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("voices-collector");
    }
    // Unless the URL says otherwise: a writer waiting on a server that is gone holds every
    // submission up, so it must find out in seconds, not hours.
    if !url.contains("keepalives_idle") {
        config.keepalives_idle(DEAD_AFTER / 3);
    }
    if !url.contains("keepalives_interval") {
        config.keepalives_interval(Duration::from_secs(5));
    }
    if !url.contains("keepalives_retries") {
        config.keepalives_retries(4);
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(DEAD_AFTER);
    }
    Ok(Target { config, tls })
}

/// The URL without its `sslrootcert` parameter, and that parameter's path; every other
/// parameter byte for byte as given (the client library reads them percent-decoded, not as
/// a form would, so a re-encoded space would change them). libpq's `sslmode=verify-full`
/// and `verify-ca`, which the client library does not know, are `require` here, which
/// checks the certificate and the host name in any case.
fn take_root_cert(url: &str) -> (String, Option<PathBuf>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslrootcert", value)) => {
                let path = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                root_cert = Some(PathBuf::from(path.into_owned()));
            }
            Some(("sslmode", "verify-full" | "verify-ca")) => kept.push("sslmode=require"),
            _ => kept.push(pair),
        }
    }
    if kept.is_empty() {
        (base.to_owned(), root_cert)
    } else {
        (format!("{base}?{}", kept.join("&")), root_cert)
    }
}

/// TLS that checks the server's certificate against the CA certificates in `root_cert` (a
/// PEM file), or else the Mozilla roots, and its name against the URL's host.
fn tls_connector(root_cert: Option<&Path>) -> Result<MakeRustlsConnect, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let shown = path.display();
            let pem = std::fs::read(path)
                .map_err(|e| format!("sslrootcert={shown} cannot be read: {e}"))?;
            for certificate in CertificateDer::pem_slice_iter(&pem) {
                let certificate = certificate.map_err(|e| {
                    format!("sslrootcert={shown} is not a PEM file of certificates: {e}")
                })?;
                roots.add(certificate).map_err(|e| {
                    format!("sslrootcert={shown} holds a certificate that cannot be used: {e}")
                })?;
            }
            if roots.is_empty() {
                return Err(format!(
                    "sslrootcert={shown} holds no certificate (a PEM file, -----BEGIN CERTIFICATE-----)"
                ));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    // ring, as lettre's SMTP uses: one TLS stack in the binary. Its key exchange is the
    // classical one PostgreSQL servers negotiate today; the post-quantum one rustls now
    // prefers needs aws-lc-rs, a C library to build.
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// A URL as it may be shown (without its password), or the URL's own problem.
pub(super) fn display_url(url: &str) -> String {
    match parse_url(url) {
        Ok(target) => describe_config(&target.config),
        Err(_) => "a database URL that cannot be read".into(),
    }
}

/// One connection, with the statements prepared on it.
struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Conn {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query(&statement, params)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, Failed> {
        let mut rows = self.query(sql, params)?;
        if rows.len() > 1 {
            return Err(
                StoreError::Corrupt(format!("a query for one row found {}", rows.len())).into(),
            );
        }
        Ok(rows.pop())
    }

    fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.execute(&statement, params)
    }

    /// Runs `work` in a transaction: committed if it succeeds, rolled back if not.
    fn transaction<T>(
        &mut self,
        work: impl FnOnce(&mut Conn) -> Result<T, Failed>,
    ) -> Result<T, Failed> {
        self.client.batch_execute("BEGIN")?;
        match work(self) {
            Ok(value) => {
                self.client.batch_execute("COMMIT")?;
                Ok(value)
            }
            Err(error) => {
                // A lost connection rolls back by itself.
                let _ = self.client.batch_execute("ROLLBACK");
                Err(error)
            }
        }
    }
}

/// Runs `call` where `postgres::Client` may block: it drives each call with a `block_on`
/// of its own, which panics on an async runtime's thread. The collector calls the store
/// from blocking threads (the writer, `spawn_blocking`); a call made on an async thread all
/// the same gets a short-lived thread of its own rather than a panic.
fn off_runtime<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return call();
    }
    std::thread::scope(|scope| match scope.spawn(call).join() {
        Ok(value) => value,
        Err(panicked) => std::panic::resume_unwind(panicked),
    })
}

/// Drops connections off the async runtime: `postgres::Client` closes its connection with
/// a `block_on` of its own, which panics on a runtime's thread.
fn dispose(connections: Vec<Conn>) {
    if connections.is_empty() {
        return;
    }
    if tokio::runtime::Handle::try_current().is_ok() {
        let spawned = std::thread::Builder::new()
            .name("voices-pg-close".into())
            .spawn(move || drop(connections));
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not start a thread to close database connections");
        }
    } else {
        drop(connections);
    }
}

/// Why the database cannot be reached, and when a connection was last tried.
struct Down {
    reason: String,
    tried: Instant,
}

struct PoolState {
    idle: Vec<Conn>,
    /// Connections open, idle or in use.
    open: usize,
    down: Option<Down>,
}

/// A few connections, opened when needed, handed out one call at a time.
struct Pool {
    config: Config,
    tls: Option<MakeRustlsConnect>,
    /// The database as it may be shown (no password), for the log.
    location: String,
    state: Mutex<PoolState>,
    freed: Condvar,
}

/// A connection lent by the pool; back to it when dropped, unless it broke.
struct Lent<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
    broken: bool,
}

impl std::ops::Deref for Lent<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
            .as_ref()
            .expect("a lent connection is there until it is dropped")
    }
}

impl std::ops::DerefMut for Lent<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a lent connection is there until it is dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let mut state = lock(&self.pool.state);
        if self.broken || conn.client.is_closed() {
            state.open = state.open.saturating_sub(1);
            drop(state);
            dispose(vec![conn]);
        } else {
            state.idle.push(conn);
            drop(state);
        }
        self.pool.freed.notify_one();
    }
}

impl Pool {
    fn new(config: Config, tls: Option<MakeRustlsConnect>, location: String) -> Pool {
        Pool {
            config,
            tls,
            location,
            state: Mutex::new(PoolState {
                idle: Vec::new(),
                open: 0,
                down: None,
            }),
            freed: Condvar::new(),
        }
    }

    /// A connection: an idle one, a new one, or the next one freed. While the database
    /// is down, at once the reason, and a new connection at most once per [`RECOVERY_PAUSE`].
    fn get(&self) -> Result<Lent<'_>, StoreError> {
        let deadline = Instant::now() + POOL_WAIT;
        let mut state = lock(&self.state);
        loop {
            if let Some(conn) = state.idle.pop() {
                if conn.client.is_closed() {
                    state.open = state.open.saturating_sub(1);
                    drop(state);
                    dispose(vec![conn]);
                    state = lock(&self.state);
                    continue;
                }
                return Ok(Lent {
                    pool: self,
                    conn: Some(conn),
                    broken: false,
                });
            }
            // A connection that could not be opened says the database may be down, or only
            // that it takes no more connections (its max_connections, a changed password):
            // with none open, the reason at once; with some, wait for one of them.
            let paused = state
                .down
                .as_ref()
                .is_some_and(|down| down.tried.elapsed() < RECOVERY_PAUSE);
            if paused
                && state.open == 0
                && let Some(down) = &state.down
            {
                return Err(StoreError::Unavailable(down.reason.clone()));
            }
            if !paused && state.open < POOL_SIZE {
                state.open += 1;
                if let Some(down) = state.down.as_mut() {
                    // Others answer at once with the reason while this one tries.
                    down.tried = Instant::now();
                }
                drop(state);
                return match self.connect() {
                    Ok(conn) => {
                        let mut state = lock(&self.state);
                        if let Some(down) = state.down.take() {
                            tracing::info!(database = %self.location, "the database can be reached again (it was not: {})", down.reason);
                        }
                        Ok(Lent {
                            pool: self,
                            conn: Some(conn),
                            broken: false,
                        })
                    }
                    Err(error) => {
                        let reason = explain_briefly(&error);
                        let mut state = lock(&self.state);
                        state.open = state.open.saturating_sub(1);
                        if state.down.is_none() {
                            tracing::error!(database = %self.location, "{}; the store answers 503 until it can be reached again", explain(&error));
                        }
                        state.down = Some(Down {
                            reason: reason.clone(),
                            tried: Instant::now(),
                        });
                        drop(state);
                        self.freed.notify_one();
                        Err(StoreError::Unavailable(reason))
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Unavailable(format!(
                    "all {POOL_SIZE} connections to the database stayed busy for {} seconds",
                    POOL_WAIT.as_secs()
                )));
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Opens a connection, with `synchronous_commit` on for it: a commit the store
    /// reports is on the database's disk.
    fn connect(&self) -> Result<Conn, postgres::Error> {
        let connected = match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(NoTls),
        };
        let mut client = connected?;
        let setting = client
            .query_one("SHOW synchronous_commit", &[])
            .and_then(|row| row.try_get::<_, String>(0))?;
        if setting == "off" {
            client.batch_execute("SET synchronous_commit = on")?;
        }
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(
            &mut self
                .state
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .idle,
        );
        dispose(idle);
    }
}

/// How the schema is treated when the store opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Schema {
    /// Create it, or bring it up to date (`serve`, `survey publish`).
    Migrate,
    /// It must be there, as this collector knows it (commands that read or add to a
    /// store a collector serves from).
    Existing,
}

/// The store in a PostgreSQL database (see the module docs). Several may share one
/// database, in one process or many: each submission id is still stored once.
pub struct PostgresStore {
    pool: Pool,
    /// The database's secret for the brakes' keys, once read (see [`PostgresStore::brake_secret`]).
    brake_secret: Mutex<Option<Vec<u8>>>,
}

/// Reads a page of rows into items, each its own result, and says where the next starts.
type Page<K, T> = (Vec<Result<T, StoreError>>, Option<K>);

/// Items read page by page: one query per page, no connection held in between.
struct Paged<K, T, F> {
    buffer: VecDeque<Result<T, StoreError>>,
    cursor: Option<K>,
    fetch: F,
}

impl<K, T, F> Iterator for Paged<K, T, F>
where
    F: FnMut(&K) -> Result<Page<K, T>, StoreError>,
{
    type Item = Result<T, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(item);
            }
            let cursor = self.cursor.take()?;
            match (self.fetch)(&cursor) {
                Ok((items, next)) => {
                    self.buffer.extend(items);
                    self.cursor = next;
                }
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

fn paged<'a, K, T, F>(
    start: K,
    fetch: F,
) -> Box<dyn Iterator<Item = Result<T, StoreError>> + Send + 'a>
where
    K: Send + 'a,
    T: Send + 'a,
    F: FnMut(&K) -> Result<Page<K, T>, StoreError> + Send + 'a,
{
    Box::new(Paged {
        buffer: VecDeque::new(),
        cursor: Some(start),
        fetch,
    })
}

fn subscription_from(row: &Row) -> Result<Subscription, StoreError> {
    const WHAT: &str = "a subscription";
    Ok(Subscription {
        token: column(row, 0, WHAT)?,
        survey_id: column(row, 1, WHAT)?,
        email: column(row, 2, WHAT)?,
        locale: column(row, 3, WHAT)?,
        since: column(row, 4, WHAT)?,
        told: column(row, 5, WHAT)?,
        ended: column(row, 6, WHAT)?,
    })
}

fn mail_job_from(row: &Row) -> Result<MailJob, StoreError> {
    const WHAT: &str = "a queued email";
    let attempts: i64 = column(row, 3, WHAT)?;
    Ok(MailJob {
        token: column(row, 0, WHAT)?,
        survey_id: column(row, 1, WHAT)?,
        update_id: column(row, 2, WHAT)?,
        attempts: u32::try_from(attempts)
            .map_err(|_| StoreError::Corrupt(format!("a queued email has {attempts} attempts")))?,
        due: join_time(column(row, 4, WHAT)?, column(row, 5, WHAT)?)?,
    })
}

/// A response as the columns it is stored in, worked out once for every attempt.
struct ResponseRow<'a> {
    response: &'a StoredResponse,
    body: String,
    at: OffsetDateTime,
    nanos: i16,
    version: i64,
}

impl ResponseRow<'_> {
    fn of(response: &StoredResponse) -> Result<ResponseRow<'_>, StoreError> {
        let (at, nanos) = split_time(response.submitted_at)?;
        Ok(ResponseRow {
            response,
            body: encode(response)?,
            at,
            nanos,
            version: i64::from(response.survey_version),
        })
    }
}

/// Why a transaction takes surveys' position locks.
#[derive(Clone, Copy)]
enum Positions {
    /// To draw positions: shared, so any number of inserts draw at once.
    Draw,
    /// To know that no insert draws one meanwhile (moving responses in, reading up to a
    /// settled position): exclusive, which waits for every insert in flight.
    Settle,
}

/// Takes the position locks of these surveys in the transaction `conn` is in, until it
/// ends: in the order of their keys, the same in every process, so two transactions that
/// take several never each hold one the other waits for.
fn lock_positions<'s>(
    conn: &mut Conn,
    surveys: impl Iterator<Item = &'s str>,
    why: Positions,
) -> Result<(), Failed> {
    let mut surveys: Vec<&str> = surveys.collect();
    surveys.sort_unstable();
    surveys.dedup();
    let [by_name, by_key] = match why {
        Positions::Draw => [
            "SELECT pg_advisory_xact_lock_shared($1, hashtext($2))",
            "SELECT pg_advisory_xact_lock_shared($1, $2)",
        ],
        Positions::Settle => [
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            "SELECT pg_advisory_xact_lock($1, $2)",
        ],
    };
    if let [survey] = surveys[..] {
        conn.query(by_name, &[&POSITION_LOCK, &survey])?;
        return Ok(());
    }
    let mut keys: Vec<i32> = conn
        .query(POSITION_LOCK_KEYS, &[&surveys])?
        .iter()
        .map(|row| column(row, 0, "a position lock's key"))
        .collect::<Result<_, _>>()?;
    keys.sort_unstable();
    for key in &keys {
        conn.query(by_key, &[&POSITION_LOCK, key])?;
    }
    Ok(())
}

/// Stores `rows` in the transaction `conn` is in (see [`Store::insert_responses`]): the
/// batch's position locks first, in key order, then the responses in one statement.
/// A database error fails the whole batch (the transaction is then rolled back); what
/// the store makes of one response (a stored response that cannot be read) is its own.
fn insert_batch(
    conn: &mut Conn,
    rows: &[ResponseRow<'_>],
) -> Result<Vec<Result<InsertOutcome, StoreError>>, Failed> {
    lock_positions(
        conn,
        rows.iter().map(|row| row.response.survey_id.as_str()),
        Positions::Draw,
    )?;

    let survey_ids: Vec<&str> = rows
        .iter()
        .map(|row| row.response.survey_id.as_str())
        .collect();
    let submission_ids: Vec<Uuid> = rows.iter().map(|row| row.response.submission_id).collect();
    let receipts: Vec<&str> = rows
        .iter()
        .map(|row| row.response.receipt.as_str())
        .collect();
    let times: Vec<OffsetDateTime> = rows.iter().map(|row| row.at).collect();
    let nanos: Vec<i16> = rows.iter().map(|row| row.nanos).collect();
    let days: Vec<time::Date> = rows.iter().map(|row| row.response.day()).collect();
    let versions: Vec<i64> = rows.iter().map(|row| row.version).collect();
    let channels: Vec<&str> = rows
        .iter()
        .map(|row| row.response.channel.as_str())
        .collect();
    let bodies: Vec<&str> = rows.iter().map(|row| row.body.as_str()).collect();
    let answers = conn.query(
        INSERT_BATCH,
        &[
            &survey_ids,
            &submission_ids,
            &receipts,
            &times,
            &nanos,
            &days,
            &versions,
            &channels,
            &bodies,
        ],
    )?;
    if answers.len() != rows.len() {
        return Err(StoreError::Corrupt(format!(
            "a batch of {} responses was answered for {}",
            rows.len(),
            answers.len()
        ))
        .into());
    }

    let mut outcomes = Vec::with_capacity(rows.len());
    for (row, answer) in rows.iter().zip(&answers) {
        let response = row.response;
        let claimed: bool = column(answer, 0, "a batch's claim")?;
        let stored: Option<String> = column(answer, 1, "a batch's receipt")?;
        let outcome = match stored {
            Some(receipt) if receipt == response.receipt.as_str() => Ok(InsertOutcome::Inserted),
            None if claimed => {
                // The receipt is in use: the claim goes too, so a retry with another
                // receipt claims the submission id afresh.
                conn.execute(
                    "DELETE FROM submissions WHERE survey_id = $1 AND submission_id = $2",
                    &[&response.survey_id, &response.submission_id],
                )?;
                Ok(InsertOutcome::ReceiptTaken)
            }
            // Known before the batch, or stored by a copy earlier in it.
            _ => match find_submission(conn, &response.survey_id, response.submission_id) {
                Ok(Submitted::Stored(existing)) => Ok(InsertOutcome::AlreadyStored(existing)),
                Ok(Submitted::Erased) => Ok(InsertOutcome::Erased),
                Ok(Submitted::Unknown) => Err(StoreError::Corrupt(
                    "a submission id was taken, then not found".into(),
                )),
                Err(Failed::Store(error)) => Err(error),
                Err(Failed::Db(error)) => return Err(Failed::Db(error)),
            },
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// What is known of a submission, read on `conn` (in its transaction, if it is in one).
fn find_submission(
    conn: &mut Conn,
    survey_id: &str,
    submission_id: Uuid,
) -> Result<Submitted, Failed> {
    let Some(row) = conn.query_opt(FIND_SUBMISSION, &[&survey_id, &submission_id])? else {
        return Ok(Submitted::Unknown);
    };
    let erased: bool = column(&row, 0, "a submission")?;
    let body: Option<String> = column(&row, 1, "a submission")?;
    match (erased, body) {
        (true, _) => Ok(Submitted::Erased),
        (false, Some(body)) => Ok(Submitted::Stored(Box::new(decode_response(&body)?))),
        (false, None) => Err(StoreError::Corrupt(
            "a submission is kept without its response or a tombstone".into(),
        )
        .into()),
    }
}

impl PostgresStore {
    /// Connects to the database at `url` and creates or migrates its schema.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::open_with(url, Schema::Migrate)
    }

    pub(super) fn open_with(url: &str, schema: Schema) -> Result<PostgresStore, StoreError> {
        off_runtime(|| PostgresStore::open_here(url, schema))
    }

    fn open_here(url: &str, schema: Schema) -> Result<PostgresStore, StoreError> {
        let Target { config, tls } = parse_url(url).map_err(|reason| StoreError::Database {
            location: "postgres://".into(),
            reason,
        })?;
        let location = describe_config(&config);
        let encrypted = tls.is_some();
        let refused = |reason: String| StoreError::Database {
            location: location.clone(),
            reason,
        };
        let local = config.get_hosts().iter().all(|host| match host {
            Host::Tcp(name) => matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1"),
            #[cfg(unix)]
            Host::Unix(_) => true,
        });
        let store = PostgresStore {
            pool: Pool::new(config, tls, location.clone()),
            brake_secret: Mutex::new(None),
        };
        // The first connection is made here, so that the operator starting the collector
        // reads the server's own words for what is wrong (a browser never does).
        let first = store.pool.connect().map_err(|error| {
            StoreError::Unavailable(format!(
                "cannot use the database {location}: {}",
                explain(&error)
            ))
        })?;
        {
            let mut state = lock(&store.pool.state);
            state.open += 1;
            state.idle.push(first);
        }
        let mut conn = store.pool.get()?;
        let checked = match schema {
            Schema::Migrate => migrate(&mut conn),
            Schema::Existing => check_schema(&mut conn),
        };
        checked.map_err(|error| match error {
            Failed::Db(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                refused(format!(
                    "{}; the collector makes its own tables: make its user the database's owner \
                 (ALTER DATABASE ... OWNER TO ...), or grant it CREATE on the schema",
                    explain(&e)
                ))
            }
            Failed::Db(e) => refused(explain(&e)),
            Failed::Store(StoreError::Database { reason, .. }) => refused(reason),
            Failed::Store(e) => e,
        })?;
        // Answers are UTF-8 and in every script; a database in another encoding (LATIN1,
        // say) would refuse an answer in Arabic or Polish letters for ever, with a 503.
        let encoding = conn
            .client
            .query_one("SHOW server_encoding", &[])
            .and_then(|row| row.try_get::<_, String>(0))
            .map_err(|e| refused(explain(&e)))?;
        if encoding != "UTF8" {
            return Err(refused(format!(
                "the database's encoding is {encoding}, and answers in every language need \
                 UTF8: make the database with `createdb -E UTF8 -T template0 --owner USER NAME` \
                 (the encoding of a database cannot be changed)"
            )));
        }
        let fsync = conn
            .client
            .query_one("SHOW fsync", &[])
            .and_then(|row| row.try_get::<_, String>(0));
        if let Ok("off") = fsync.as_deref() {
            tracing::warn!(database = %location, "the database server runs with fsync off: a crash of its machine can lose responses the collector acknowledged");
        }
        drop(conn);
        if !local && !encrypted {
            tracing::warn!(database = %location, "the connection to the database is not encrypted: add sslmode=require to the URL (and sslrootcert=CA.pem for a certificate authority of your own), or keep the database on a private network");
        }
        Ok(store)
    }

    /// Runs `work` on a connection; a lost connection or a deadlock is tried again (every
    /// call is safe to repeat), anything else becomes a [`StoreError`].
    fn run<T: Send>(
        &self,
        work: impl FnMut(&mut Conn) -> Result<T, Failed> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| self.run_here(work))
    }

    fn run_here<T>(
        &self,
        mut work: impl FnMut(&mut Conn) -> Result<T, Failed>,
    ) -> Result<T, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut conn = self.pool.get()?;
            let error = match work(&mut conn) {
                Ok(value) => return Ok(value),
                Err(Failed::Store(error)) => return Err(error),
                Err(Failed::Db(error)) => error,
            };
            let lost = connection_lost(&error) || conn.client.is_closed();
            if lost {
                conn.broken = true;
            }
            if (lost || worth_retrying(&error)) && attempt < ATTEMPTS {
                tracing::debug!(error = %describe(&error), "a database call is tried again");
                continue;
            }
            tracing::warn!(database = %self.pool.location, error = %explain(&error), "a database call failed");
            return Err(StoreError::Unavailable(explain_briefly(&error)));
        }
    }

    fn one_text(
        &self,
        sql: &'static str,
        key: &str,
        what: &str,
    ) -> Result<Option<String>, StoreError> {
        self.run(|conn| {
            Ok(match conn.query_opt(sql, &[&key])? {
                Some(row) => Some(column(&row, 0, what)?),
                None => None,
            })
        })
    }

    /// A mark's count in `changes`, if it ever moved.
    fn change_count(&self, what: &str) -> Result<Option<u64>, StoreError> {
        self.run(|conn| {
            Ok(
                match conn.query_opt("SELECT count FROM changes WHERE what = $1", &[&what])? {
                    Some(row) => Some(count_in(column(&row, 0, "a change count")?)),
                    None => None,
                },
            )
        })
    }

    fn records<T: DeserializeOwned + Send>(
        &self,
        sql: &'static str,
        what: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.run(|conn| {
            let rows = conn.query(sql, &[])?;
            let mut records = Vec::with_capacity(rows.len());
            for row in &rows {
                let json: String = column(row, 0, what)?;
                records.push(decode(&json, what)?);
            }
            Ok(records)
        })
    }

    fn record<T: DeserializeOwned>(
        &self,
        sql: &'static str,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, StoreError> {
        self.one_text(sql, key, what)?
            .map(|json| decode(&json, what))
            .transpose()
    }

    fn execute(
        &self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        self.run(|conn| Ok(conn.execute(sql, params)?))
    }

    /// The secret the brakes' keys are made with: made by the first collector that needs
    /// it, the same for every collector on the database from then on.
    fn brake_secret(&self) -> Result<Vec<u8>, StoreError> {
        if let Some(secret) = lock(&self.brake_secret).as_ref() {
            return Ok(secret.clone());
        }
        let made = new_secret();
        let secret: Vec<u8> = self.run(|conn| {
            conn.execute(
                "INSERT INTO store_secrets (name, secret) VALUES ('brakes', $1)
                 ON CONFLICT (name) DO NOTHING",
                &[&made],
            )?;
            match conn.query_opt(
                "SELECT secret FROM store_secrets WHERE name = 'brakes'",
                &[],
            )? {
                Some(row) => Ok(column(&row, 0, "the brakes' secret")?),
                None => Err(StoreError::Corrupt("the brakes' secret was not kept".into()).into()),
            }
        })?;
        *lock(&self.brake_secret) = Some(secret.clone());
        Ok(secret)
    }

    /// Each brake's key, sorted: rows are locked in this order by every collector, so two
    /// sign-ins sharing brakes never wait for each other in a circle.
    fn brake_keys<'b>(&self, brakes: &'b [Brake]) -> Result<Vec<(String, &'b Brake)>, StoreError> {
        let secret = self.brake_secret()?;
        let mut keyed = brakes
            .iter()
            .map(|brake| Ok((brake_key(&secret, brake)?, brake)))
            .collect::<Result<Vec<(String, &Brake)>, StoreError>>()?;
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        Ok(keyed)
    }
}

/// Creates or migrates the schema, under an advisory lock so that two collectors
/// starting at once do not both do it; refuses a schema newer than this collector knows.
fn migrate(conn: &mut Conn) -> Result<(), Failed> {
    conn.transaction(|conn| {
        conn.client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        conn.client.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (
                 version INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                 collector TEXT NOT NULL
             )",
        )?;
        let current = schema_version(conn)?;
        refuse_newer(current)?;
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            conn.client.batch_execute(sql)?;
            conn.client.execute(
                "INSERT INTO schema_version (version, collector) VALUES ($1, $2)",
                &[
                    version,
                    &concat!("voices-collector ", env!("CARGO_PKG_VERSION")),
                ],
            )?;
            tracing::info!("the database's schema was brought up to version {version}");
        }
        Ok(())
    })
}

fn schema_version(conn: &mut Conn) -> Result<i32, Failed> {
    let row = conn
        .client
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])?;
    Ok(column(&row, 0, "the schema's version")?)
}

fn refuse_newer(current: i32) -> Result<(), Failed> {
    let latest = latest_schema();
    if current > latest {
        return Err(StoreError::Database {
            location: String::new(),
            reason: format!(
                "its schema was set up by a newer collector (schema version {current}; this one knows up to {latest}); run the newer collector, or restore a backup made before it ran"
            ),
        }
        .into());
    }
    Ok(())
}

/// The schema must be there, at the version this collector knows: commands that only
/// read or add to a store do not create or migrate one.
fn check_schema(conn: &mut Conn) -> Result<(), Failed> {
    let row = conn
        .client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?;
    let exists: bool = column(&row, 0, "the schema")?;
    let current = if exists { schema_version(conn)? } else { 0 };
    if current == 0 {
        return Err(StoreError::Database {
            location: String::new(),
            reason: "it has no Voices tables yet; `voices-collector serve --store URL` (or `survey publish --store URL`) sets them up".into(),
        }
        .into());
    }
    refuse_newer(current)?;
    if current < latest_schema() {
        return Err(StoreError::Database {
            location: String::new(),
            reason: format!(
                "its schema is version {current}, older than this collector's {}; `voices-collector serve --store URL` with this collector brings it up to date",
                latest_schema()
            ),
        }
        .into());
    }
    Ok(())
}

impl Store for PostgresStore {
    fn publish(
        &self,
        id: &str,
        version: u32,
        definition: &str,
    ) -> Result<PublishOutcome, StoreError> {
        let v = i64::from(version);
        // One transaction: the definition and the mark the other collectors follow are
        // committed together, so a lost reply never leaves the survey stored but unseen.
        let existing: Option<String> = self.run(|conn| {
            conn.transaction(|conn| {
                let inserted = conn.execute(
                    "INSERT INTO surveys (id, version, definition) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&id, &v, &definition],
                )?;
                if inserted == 1 {
                    conn.execute(NOTE_CHANGE, &[&"catalog", &1i64])?;
                    return Ok(None);
                }
                let row = conn.query_opt(
                    "SELECT definition FROM surveys WHERE id = $1 AND version = $2",
                    &[&id, &v],
                )?;
                let Some(row) = row else {
                    return Err(StoreError::Corrupt(format!(
                        "version {version} of survey {id} is neither stored nor storable"
                    ))
                    .into());
                };
                Ok(Some(column(&row, 0, "a survey definition")?))
            })
        })?;
        match existing {
            None => Ok(PublishOutcome::Published),
            Some(stored) if stored == definition => Ok(PublishOutcome::AlreadyPublished),
            Some(_) => Err(StoreError::VersionConflict {
                id: id.to_owned(),
                version,
            }),
        }
    }

    fn surveys(&self) -> Result<Vec<StoredSurvey>, StoreError> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT id, version, definition FROM surveys ORDER BY id, version",
                &[],
            )?;
            let mut surveys = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: String = column(row, 0, "a survey")?;
                let version = version_in(column(row, 1, "a survey")?, "a survey")?;
                surveys.push(StoredSurvey {
                    id,
                    version,
                    definition: column(row, 2, "a survey")?,
                });
            }
            Ok(surveys)
        })
    }

    fn insert_response(&self, response: &StoredResponse) -> Result<InsertOutcome, StoreError> {
        let ResponseRow {
            body,
            at,
            nanos,
            version,
            ..
        } = ResponseRow::of(response)?;
        let day = response.day();
        let channel = response.channel.as_str();
        let (survey_id, submission_id) = (response.survey_id.as_str(), response.submission_id);
        let receipt = response.receipt.as_str();
        self.run(|conn| {
            let stored = conn.query(
                INSERT_RESPONSE,
                &[
                    &survey_id,
                    &submission_id,
                    &receipt,
                    &at,
                    &nanos,
                    &day,
                    &version,
                    &channel,
                    &body,
                    &POSITION_LOCK,
                ],
            );
            match stored {
                Ok(rows) if rows.len() == 1 => Ok(InsertOutcome::Inserted),
                Ok(_) => match find_submission(conn, survey_id, submission_id)? {
                    Submitted::Stored(existing) => Ok(InsertOutcome::AlreadyStored(existing)),
                    Submitted::Erased => Ok(InsertOutcome::Erased),
                    Submitted::Unknown => Err(StoreError::Corrupt(
                        "a submission id was taken, then not found".into(),
                    )
                    .into()),
                },
                Err(error) if violates(&error, "responses_receipt_unique") => {
                    Ok(InsertOutcome::ReceiptTaken)
                }
                Err(error) => Err(error.into()),
            }
        })
    }

    fn insert_responses(
        &self,
        responses: &[StoredResponse],
    ) -> Vec<Result<InsertOutcome, StoreError>> {
        if responses.len() < 2 {
            return responses
                .iter()
                .map(|response| self.insert_response(response))
                .collect();
        }
        // A response that cannot even be written as columns fails alone.
        let mut outcomes: Vec<Option<Result<InsertOutcome, StoreError>>> =
            Vec::with_capacity(responses.len());
        let mut rows = Vec::with_capacity(responses.len());
        for response in responses {
            match ResponseRow::of(response) {
                Ok(row) => {
                    rows.push(row);
                    outcomes.push(None);
                }
                Err(error) => outcomes.push(Some(Err(error))),
            }
        }
        match self.run(|conn| conn.transaction(|conn| insert_batch(conn, &rows))) {
            Ok(stored) => {
                let mut stored = stored.into_iter();
                outcomes
                    .into_iter()
                    .map(|outcome| {
                        outcome.or_else(|| stored.next()).unwrap_or_else(|| {
                            Err(StoreError::Corrupt(
                                "a batch of responses came back short".into(),
                            ))
                        })
                    })
                    .collect()
            }
            // The database is down: every response would meet the same answer.
            Err(error) if lock(&self.pool.state).down.is_some() => {
                responses.iter().map(|_| Err(error.clone())).collect()
            }
            // Something in the batch failed it: one transaction each, so that only
            // what fails on its own fails.
            Err(error) => {
                tracing::warn!(%error, responses = responses.len(), "a batch of responses could not be stored together; storing them one at a time");
                responses
                    .iter()
                    .map(|response| self.insert_response(response))
                    .collect()
            }
        }
    }

    fn batches_at_once(&self) -> usize {
        BATCHES_AT_ONCE
    }

    fn first_receipt(&self, _survey_id: &str, _submission_id: Uuid) -> Receipt {
        // A unique index finds a response by its submission: any receipt will do.
        Receipt::generate()
    }

    fn find_submission(
        &self,
        survey_id: &str,
        submission_id: Uuid,
    ) -> Result<Submitted, StoreError> {
        self.run(|conn| find_submission(conn, survey_id, submission_id))
    }

    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        // Everything committed as each page is read: an export does not follow positions
        // later, so it need not wait for (nor hold up) the inserts in flight.
        let items = self.responses_from(survey_id, 0, Some(i64::MAX));
        Box::new(items.map(|item| item.map(|(_, response)| response)))
    }

    fn responses_submitted<'a>(
        &'a self,
        survey_id: &str,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        let floor = earliest();
        let from = from.filter(|from| *from > floor).unwrap_or(floor);
        if to.is_some_and(|to| to < from) {
            return Box::new(std::iter::empty());
        }
        let bounds = split_time(from).and_then(|from| Ok((from, to.map(split_time).transpose()?)));
        let ((from_at, from_ns), to) = match bounds {
            Ok(bounds) => bounds,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let survey_id = survey_id.to_owned();
        // The cursor: after this time, these nanoseconds and this position (0 is before
        // every position, so the first page starts at `from` itself).
        let start = (from_at, from_ns, 0i64);
        paged(
            start,
            move |(at, ns, position): &(OffsetDateTime, i16, i64)| {
                self.run(|conn| {
                    let rows = match &to {
                        Some((to_at, to_ns)) => conn.query(
                            TIME_PAGE_UNTIL,
                            &[&survey_id, at, ns, position, to_at, to_ns, &PAGE],
                        )?,
                        None => conn.query(TIME_PAGE, &[&survey_id, at, ns, position, &PAGE])?,
                    };
                    let mut next = None;
                    let mut items = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let key = (
                            column(row, 1, "a response's time")?,
                            column(row, 2, "a response's time")?,
                            column(row, 0, "a response's position")?,
                        );
                        next = Some(key);
                        let body: String = column(row, 3, "a stored response")?;
                        items.push(decode_response(&body));
                    }
                    let full = i64::try_from(rows.len()).is_ok_and(|n| n == PAGE);
                    Ok((items, next.filter(|_| full)))
                })
            },
        )
    }

    fn responses_after<'a>(
        &'a self,
        survey_id: &str,
        after: Option<u64>,
    ) -> Box<dyn Iterator<Item = Result<(u64, StoredResponse), StoreError>> + Send + 'a> {
        let Ok(after) = i64::try_from(after.unwrap_or(0)) else {
            // Past every position there is.
            return Box::new(std::iter::empty());
        };
        self.responses_from(survey_id, after, None)
    }

    fn erasure_mark(&self, survey_id: &str) -> Result<u64, StoreError> {
        // Only erasures move it: a failed write is rolled back by the database, so
        // nothing a reader saw is ever dropped otherwise.
        self.change_count(&format!("erased:{survey_id}"))
            .map(Option::unwrap_or_default)
    }

    fn catalog_mark(&self) -> Result<Option<u64>, StoreError> {
        // Some(0) before anything was published: other collectors may publish.
        self.change_count("catalog").map(|n| Some(n.unwrap_or(0)))
    }

    fn claim_lease(
        &self,
        name: &str,
        holder: &str,
        hold_for: Duration,
    ) -> Result<bool, StoreError> {
        let seconds = hold_for.as_secs_f64();
        // The database's clock, not each collector's: they may disagree.
        self.run(|conn| {
            let claimed = conn.query_opt(
                "INSERT INTO leases (name, holder, until)
                 VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                 WHERE leases.holder = excluded.holder OR leases.until <= clock_timestamp()
                 RETURNING holder",
                &[&name, &holder, &seconds],
            )?;
            Ok(claimed.is_some())
        })
    }

    fn position_of_receipt(&self, receipt: &str) -> Result<Option<u64>, StoreError> {
        self.run(|conn| {
            Ok(
                match conn.query_opt(
                    "SELECT position FROM responses WHERE receipt = $1",
                    &[&receipt],
                )? {
                    Some(row) => Some(position_in(column(&row, 0, "a response's position")?)?),
                    None => None,
                },
            )
        })
    }

    fn tallies(&self, survey_id: &str) -> Result<Vec<Tally>, StoreError> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT day, version, channel, count FROM tallies
                 WHERE survey_id = $1 AND count > 0
                 ORDER BY day, version, channel",
                &[&survey_id],
            )?;
            let mut tallies = Vec::with_capacity(rows.len());
            for row in &rows {
                const WHAT: &str = "a response count";
                let channel: String = column(row, 2, WHAT)?;
                tallies.push(Tally {
                    day: column(row, 0, WHAT)?,
                    version: version_in(column(row, 1, WHAT)?, WHAT)?,
                    channel: Channel::parse(&channel).ok_or_else(|| {
                        StoreError::Corrupt(format!("a response count has the channel {channel}"))
                    })?,
                    count: count_in(column(row, 3, WHAT)?),
                });
            }
            Ok(tallies)
        })
    }

    fn response_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        self.run(|conn| {
            let row = conn.query_opt(
                "SELECT coalesce(sum(count), 0)::bigint FROM tallies WHERE survey_id = $1",
                &[&survey_id],
            )?;
            Ok(match row {
                Some(row) => count_in(column(&row, 0, "a response count")?),
                None => 0,
            })
        })
    }

    fn find_receipt(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        self.one_text(
            "SELECT body::text FROM responses WHERE receipt = $1",
            receipt,
            "a stored response",
        )?
        .map(|body| decode_response(&body))
        .transpose()
    }

    fn erase_response(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        let now = OffsetDateTime::now_utc();
        self.run(|conn| {
            Ok(match conn.query_opt(ERASE_RESPONSE, &[&receipt, &now])? {
                Some(row) => {
                    let body: String = column(&row, 0, "a stored response")?;
                    Some(decode_response(&body)?)
                }
                None => None,
            })
        })
    }

    fn purge_chunk_before(
        &self,
        survey_id: &str,
        cutoff: OffsetDateTime,
    ) -> Result<Option<u64>, StoreError> {
        if cutoff <= earliest() {
            return Ok(None);
        }
        let (at, nanos) = split_time(cutoff)?;
        let now = OffsetDateTime::now_utc();
        let erased = self.run(|conn| {
            let row = conn.query_opt(
                PURGE_CHUNK_SQL,
                &[&survey_id, &at, &nanos, &PURGE_CHUNK, &now],
            )?;
            Ok(match row {
                Some(row) => count_in(column(&row, 0, "a purge's count")?),
                None => 0,
            })
        })?;
        Ok((erased > 0).then_some(erased))
    }

    fn outcomes(&self, survey_id: &str) -> Result<Option<String>, StoreError> {
        self.one_text(
            "SELECT document FROM outcomes WHERE survey_id = $1",
            survey_id,
            "a survey's updates",
        )
    }

    fn all_outcomes(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT survey_id, document FROM outcomes ORDER BY survey_id",
                &[],
            )?;
            let mut all = Vec::with_capacity(rows.len());
            for row in &rows {
                all.push((
                    column(row, 0, "a survey's updates")?,
                    column(row, 1, "a survey's updates")?,
                ));
            }
            Ok(all)
        })
    }

    fn replace_outcomes(
        &self,
        survey_id: &str,
        expected: Option<&str>,
        json: &str,
    ) -> Result<bool, StoreError> {
        self.run(|conn| {
            conn.transaction(|conn| {
                let replaced = match expected {
                    Some(expected) => conn.execute(
                        "UPDATE outcomes SET document = $3 WHERE survey_id = $1 AND document = $2",
                        &[&survey_id, &expected, &json],
                    )?,
                    None => conn.execute(
                        "INSERT INTO outcomes (survey_id, document) VALUES ($1, $2)
                         ON CONFLICT (survey_id) DO NOTHING",
                        &[&survey_id, &json],
                    )?,
                } == 1;
                if replaced {
                    conn.execute(NOTE_CHANGE, &[&"catalog", &1i64])?;
                }
                Ok(replaced)
            })
        })
    }

    fn put_outcomes(&self, survey_id: &str, json: &str) -> Result<(), StoreError> {
        self.run(|conn| {
            conn.transaction(|conn| {
                conn.execute(
                    "INSERT INTO outcomes (survey_id, document) VALUES ($1, $2)
                     ON CONFLICT (survey_id) DO UPDATE SET document = excluded.document",
                    &[&survey_id, &json],
                )?;
                conn.execute(NOTE_CHANGE, &[&"catalog", &1i64])?;
                Ok(())
            })
        })
    }

    fn picture(&self, survey_id: &str, file: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.run(|conn| {
            Ok(
                match conn.query_opt(
                    "SELECT bytes FROM pictures WHERE survey_id = $1 AND file = $2",
                    &[&survey_id, &file],
                )? {
                    Some(row) => Some(column(&row, 0, "a survey's picture")?),
                    None => None,
                },
            )
        })
    }

    fn put_picture(&self, survey_id: &str, file: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.run(|conn| {
            conn.execute(
                "INSERT INTO pictures (survey_id, file, bytes) VALUES ($1, $2, $3)
                 ON CONFLICT (survey_id, file) DO UPDATE SET bytes = excluded.bytes",
                &[&survey_id, &file, &bytes],
            )?;
            Ok(())
        })
    }

    fn population(&self, survey_id: &str) -> Result<Option<String>, StoreError> {
        let figures: Option<Vec<u8>> = self.run(|conn| {
            Ok(
                match conn.query_opt(
                    "SELECT figures FROM population WHERE survey_id = $1",
                    &[&survey_id],
                )? {
                    Some(row) => Some(column(&row, 0, "a survey's population")?),
                    None => None,
                },
            )
        })?;
        figures
            .map(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    StoreError::Corrupt(format!(
                        "the population of survey {survey_id} is not UTF-8"
                    ))
                })
            })
            .transpose()
    }

    fn put_population(&self, survey_id: &str, csv: &str) -> Result<(), StoreError> {
        // As bytes: an uploaded file may hold a NUL, which a text column refuses.
        self.execute(
            "INSERT INTO population (survey_id, figures) VALUES ($1, $2)
             ON CONFLICT (survey_id) DO UPDATE SET figures = excluded.figures",
            &[&survey_id, &csv.as_bytes()],
        )?;
        Ok(())
    }

    fn subscribe(&self, subscription: &Subscription) -> Result<Subscribed, StoreError> {
        // As on sled: an address is the same whatever its case, and only its digest is the key.
        let address = crate::staff::credentials::digest(&subscription.email.to_lowercase());
        let added = self.execute(
            "INSERT INTO subscriptions (token, survey_id, address, email, locale, since, told, ended)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (survey_id, address) DO NOTHING",
            &[
                &subscription.token,
                &subscription.survey_id,
                &address,
                &subscription.email,
                &subscription.locale,
                &subscription.since,
                &subscription.told,
                &subscription.ended,
            ],
        )?;
        Ok(if added == 1 {
            Subscribed::Added
        } else {
            Subscribed::AlreadySubscribed
        })
    }

    fn subscription(&self, token: &str) -> Result<Option<Subscription>, StoreError> {
        self.run(|conn| {
            Ok(match conn.query_opt(SUBSCRIPTION_COLUMNS, &[&token])? {
                Some(row) => Some(subscription_from(&row)?),
                None => None,
            })
        })
    }

    fn unsubscribe(&self, token: &str) -> Result<bool, StoreError> {
        // Its queued emails go with it (ON DELETE CASCADE).
        Ok(self.execute("DELETE FROM subscriptions WHERE token = $1", &[&token])? > 0)
    }

    fn subscription_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        self.run(|conn| {
            let row = conn.query_opt(
                "SELECT count(*) FROM subscriptions WHERE survey_id = $1",
                &[&survey_id],
            )?;
            Ok(match row {
                Some(row) => count_in(column(&row, 0, "a count of subscriptions")?),
                None => 0,
            })
        })
    }

    fn queue_updates(
        &self,
        survey_id: &str,
        published: &[String],
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let (due, due_ns) = split_time(now)?;
        self.run(|conn| {
            conn.transaction(|conn| {
                let rows = conn.query(
                    "SELECT token, told FROM subscriptions
                     WHERE survey_id = $1 AND NOT ended ORDER BY token FOR UPDATE",
                    &[&survey_id],
                )?;
                let mut queued = 0;
                for row in &rows {
                    let token: String = column(row, 0, "a subscription")?;
                    let mut told: Vec<String> = column(row, 1, "a subscription")?;
                    let untold: Vec<&String> =
                        published.iter().filter(|id| !told.contains(id)).collect();
                    if untold.is_empty() {
                        continue;
                    }
                    for update_id in untold {
                        conn.execute(
                            "INSERT INTO mail_queue (token, update_id, survey_id, attempts, due, due_ns)
                             VALUES ($1, $2, $3, 0, $4, $5)
                             ON CONFLICT (token, update_id) DO NOTHING",
                            &[&token, update_id, &survey_id, &due, &due_ns],
                        )?;
                        told.push(update_id.clone());
                        queued += 1;
                    }
                    conn.execute(
                        "UPDATE subscriptions SET told = $2 WHERE token = $1",
                        &[&token, &told],
                    )?;
                }
                Ok(queued)
            })
        })
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
        let taken_back: Vec<String> = deleted.iter().chain(unpublished).cloned().collect();
        self.run(|conn| {
            conn.transaction(|conn| {
                let rows = conn.query(
                    "SELECT token, told FROM subscriptions WHERE survey_id = $1 ORDER BY token FOR UPDATE",
                    &[&survey_id],
                )?;
                for row in &rows {
                    let token: String = column(row, 0, "a subscription")?;
                    let mut told: Vec<String> = column(row, 1, "a subscription")?;
                    let unqueued: Vec<String> = conn
                        .query(
                            "DELETE FROM mail_queue WHERE token = $1 AND update_id = ANY($2)
                             RETURNING update_id",
                            &[&token, &taken_back],
                        )?
                        .iter()
                        .map(|row| column(row, 0, "a queued email"))
                        .collect::<Result<_, _>>()?;
                    // A deleted update's id may name a new update one day: that one is news.
                    // An unpublished one whose email had not gone yet goes if it is published again.
                    let before = told.len();
                    told.retain(|id| !deleted.contains(id) && !unqueued.contains(id));
                    if told.len() != before {
                        conn.execute(
                            "UPDATE subscriptions SET told = $2 WHERE token = $1",
                            &[&token, &told],
                        )?;
                    }
                }
                Ok(())
            })
        })
    }

    fn due_mail(&self, now: OffsetDateTime, limit: usize) -> Result<Vec<MailJob>, StoreError> {
        let (due, due_ns) = split_time(now)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(|conn| {
            let rows = conn.query(
                "SELECT token, survey_id, update_id, attempts, due, due_ns FROM mail_queue
                 WHERE (due, due_ns) <= ($1, $2)
                 ORDER BY due, due_ns, token, update_id
                 LIMIT $3",
                &[&due, &due_ns, &limit],
            )?;
            Ok(rows.iter().map(mail_job_from).collect::<Result<_, _>>()?)
        })
    }

    fn reschedule_mail(&self, job: &MailJob, retry: &MailJob) -> Result<(), StoreError> {
        let (old_due, old_ns) = split_time(job.due)?;
        let (due, due_ns) = split_time(retry.due)?;
        let attempts = i64::from(retry.attempts);
        // Only if still queued as it was read: a person who stopped the emails meanwhile
        // took it off the queue, and it stays off.
        self.execute(
            "UPDATE mail_queue SET attempts = $3, due = $4, due_ns = $5
             WHERE token = $1 AND update_id = $2 AND due = $6 AND due_ns = $7",
            &[
                &job.token,
                &job.update_id,
                &attempts,
                &due,
                &due_ns,
                &old_due,
                &old_ns,
            ],
        )?;
        Ok(())
    }

    fn hurry_mail(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let (due, due_ns) = split_time(now)?;
        self.execute(
            "UPDATE mail_queue SET due = $1, due_ns = $2
             WHERE attempts > 0 AND (due, due_ns) > ($1, $2)",
            &[&due, &due_ns],
        )
    }

    fn settle_mail(&self, job: &MailJob, how: Settled) -> Result<(), StoreError> {
        self.run(|conn| {
            conn.transaction(|conn| {
                // The subscription first, as `queue_updates` does: no deadlock between them.
                let subscription = match conn.query_opt(SUBSCRIPTION_FOR_UPDATE, &[&job.token])? {
                    Some(row) => Some(subscription_from(&row)?),
                    None => None,
                };
                conn.execute(
                    "DELETE FROM mail_queue WHERE token = $1 AND update_id = $2",
                    &[&job.token, &job.update_id],
                )?;
                let Some(mut subscription) = subscription else {
                    return Ok(());
                };
                let forget = match how {
                    Settled::Undeliverable => true,
                    Settled::Done { last } | Settled::TakenBack { last } => {
                        if let Settled::TakenBack { .. } = how {
                            subscription.told.retain(|id| *id != job.update_id);
                        }
                        subscription.ended |= last;
                        let more = conn.query_opt(
                            "SELECT EXISTS (SELECT 1 FROM mail_queue WHERE token = $1)",
                            &[&job.token],
                        )?;
                        let more: bool = match more {
                            Some(row) => column(&row, 0, "a queued email")?,
                            None => false,
                        };
                        subscription.ended && !more
                    }
                };
                if forget {
                    conn.execute("DELETE FROM subscriptions WHERE token = $1", &[&job.token])?;
                } else {
                    conn.execute(
                        "UPDATE subscriptions SET told = $2, ended = $3 WHERE token = $1",
                        &[&job.token, &subscription.told, &subscription.ended],
                    )?;
                }
                Ok(())
            })
        })
    }

    fn purge_subscriptions_before(
        &self,
        survey_id: &str,
        day: time::Date,
    ) -> Result<u64, StoreError> {
        self.execute(
            "DELETE FROM subscriptions WHERE survey_id = $1 AND since < $2",
            &[&survey_id, &day],
        )
    }

    fn put_user(&self, user: &StaffUser) -> Result<(), StoreError> {
        let record = encode(user)?;
        self.execute(
            "INSERT INTO users (name, record) VALUES ($1, $2::text::json)
             ON CONFLICT (name) DO UPDATE SET record = excluded.record",
            &[&user.name, &record],
        )?;
        Ok(())
    }

    fn user(&self, name: &str) -> Result<Option<StaffUser>, StoreError> {
        self.record(
            "SELECT record::text FROM users WHERE name = $1",
            name,
            "a staff user",
        )
    }

    fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        self.records(
            "SELECT record::text FROM users ORDER BY name",
            "a staff user",
        )
    }

    fn remove_user(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM users WHERE name = $1", &[&name])? > 0)
    }

    fn put_token(&self, token: &StaffToken) -> Result<(), StoreError> {
        let record = encode(token)?;
        // Created again under the same name: the old digest goes with the old row.
        self.execute(
            "INSERT INTO tokens (name, token_hash, record) VALUES ($1, $2, $3::text::json)
             ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, record = excluded.record",
            &[&token.name, &token.token_hash, &record],
        )?;
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<StaffToken>, StoreError> {
        self.records("SELECT record::text FROM tokens ORDER BY name", "a token")
    }

    fn token_by_hash(&self, token_hash: &str) -> Result<Option<StaffToken>, StoreError> {
        let token: Option<StaffToken> = self.record(
            "SELECT record::text FROM tokens WHERE token_hash = $1",
            token_hash,
            "a token",
        )?;
        // The digest is written with the token; this only guards against a bug.
        Ok(token.filter(|t| t.token_hash == token_hash))
    }

    fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM tokens WHERE name = $1", &[&name])? > 0)
    }

    fn put_collection(&self, collection: &Collection) -> Result<(), StoreError> {
        let record = encode(collection)?;
        self.execute(
            "INSERT INTO collections (id, secret_hash, record) VALUES ($1, $2, $3::text::json)
             ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash, record = excluded.record",
            &[&collection.id, &collection.secret_hash, &record],
        )?;
        Ok(())
    }

    fn collection(&self, id: &str) -> Result<Option<Collection>, StoreError> {
        self.record(
            "SELECT record::text FROM collections WHERE id = $1",
            id,
            "a collection credential",
        )
    }

    fn collection_by_hash(&self, secret_hash: &str) -> Result<Option<Collection>, StoreError> {
        let found: Option<Collection> = self.record(
            "SELECT record::text FROM collections WHERE secret_hash = $1",
            secret_hash,
            "a collection credential",
        )?;
        // The digest is written with the credential; this only guards against a bug.
        Ok(found.filter(|c| c.secret_hash == secret_hash))
    }

    fn collections(&self) -> Result<Vec<Collection>, StoreError> {
        self.records(
            "SELECT record::text FROM collections ORDER BY id",
            "a collection credential",
        )
    }

    fn start_session(&self, secret_hash: &str, session: &StaffSession) -> Result<(), StoreError> {
        let record = encode(session)?;
        self.execute(
            // A retry after a lost reply finds its own row: the secret is new every time.
            "INSERT INTO staff_sessions (secret_hash, user_name, ends_at, record)
             VALUES ($1, $2, $3, $4::text::json) ON CONFLICT (secret_hash) DO NOTHING",
            &[&secret_hash, &session.user, &session.ends_at(), &record],
        )?;
        Ok(())
    }

    fn session(
        &self,
        secret_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<StaffSession>, StoreError> {
        let Some(record) = self.one_text(
            "SELECT record::text FROM staff_sessions WHERE secret_hash = $1",
            secret_hash,
            "a staff session",
        )?
        else {
            return Ok(None);
        };
        let session: StaffSession = decode(&record, "a staff session")?;
        if !session.live_at(now) {
            // Only as it was read (another collector may have just used it); and the sweep
            // deletes it anyway if this cannot.
            if let Err(error) = self.execute(
                "DELETE FROM staff_sessions WHERE secret_hash = $1 AND record::text = $2",
                &[&secret_hash, &record],
            ) {
                tracing::debug!(%error, "an ended session could not be deleted yet");
            }
            return Ok(None);
        }
        if !session.stale_at(now) {
            return Ok(Some(session));
        }
        let seen = session.seen(now);
        let touched = encode(&seen).and_then(|record| {
            self.execute(
                "UPDATE staff_sessions SET record = $2::text::json, ends_at = $3
                 WHERE secret_hash = $1",
                &[&secret_hash, &record, &seen.ends_at()],
            )
        });
        match touched {
            Ok(1) => Ok(Some(seen)),
            // Ended meanwhile (a sign-out, on this collector or another).
            Ok(_) => Ok(None),
            // A database that takes no writes (a standby being promoted) does not sign staff
            // out: the session is only a minute less idle than it looks.
            Err(error) => {
                tracing::debug!(%error, "a session's last use could not be written");
                Ok(Some(session))
            }
        }
    }

    fn end_session(&self, secret_hash: &str) -> Result<bool, StoreError> {
        Ok(self.execute(
            "DELETE FROM staff_sessions WHERE secret_hash = $1",
            &[&secret_hash],
        )? > 0)
    }

    fn end_sessions_of(&self, user: &str) -> Result<u64, StoreError> {
        self.execute("DELETE FROM staff_sessions WHERE user_name = $1", &[&user])
    }

    fn begin_sign_in(
        &self,
        brakes: &[Brake],
        now: OffsetDateTime,
    ) -> Result<SignInBegun, StoreError> {
        let keyed = self.brake_keys(brakes)?;
        let keys: Vec<&str> = keyed.iter().map(|(key, _)| key.as_str()).collect();
        self.run(|conn| {
            conn.transaction(|conn| {
                // Every row there first, so that the next statement locks them all: two
                // first attempts at once must not both read "no failures yet".
                conn.execute(
                    "INSERT INTO sign_in_brakes (key, failures, last_failure)
                     SELECT key, 0, $2 FROM unnest($1::text[]) AS key ORDER BY key
                     ON CONFLICT (key) DO NOTHING",
                    &[&keys, &now],
                )?;
                let rows = conn.query(
                    "SELECT key, failures, last_failure FROM sign_in_brakes
                     WHERE key = ANY($1) ORDER BY key FOR UPDATE",
                    &[&keys],
                )?;
                let mut found = HashMap::with_capacity(rows.len());
                for row in &rows {
                    const WHAT: &str = "a sign-in brake";
                    let key: String = column(row, 0, WHAT)?;
                    let count: i64 = column(row, 1, WHAT)?;
                    let failures = Failures {
                        count: u32::try_from(count).unwrap_or(u32::MAX),
                        last: column(row, 2, WHAT)?,
                    };
                    found.insert(key, failures);
                }
                // A row swept between the two statements counts from nothing.
                let read: Vec<(&Brake, Option<Failures>)> = keyed
                    .iter()
                    .map(|(key, brake)| (*brake, found.get(key).copied()))
                    .collect();
                let counted = match count_attempt(&read, now) {
                    Ok(counted) => counted,
                    Err(wait) => return Ok(SignInBegun::Wait(wait)),
                };
                for ((key, _), failures) in keyed.iter().zip(counted) {
                    conn.execute(
                        "INSERT INTO sign_in_brakes (key, failures, last_failure) VALUES ($1, $2, $3)
                         ON CONFLICT (key) DO UPDATE
                         SET failures = excluded.failures, last_failure = excluded.last_failure",
                        &[key, &i64::from(failures.count), &failures.last],
                    )?;
                }
                Ok(SignInBegun::Counted)
            })
        })
    }

    fn sign_in_succeeded(&self, brakes: &[Brake]) -> Result<(), StoreError> {
        let keys: Vec<String> = self
            .brake_keys(brakes)?
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        self.execute("DELETE FROM sign_in_brakes WHERE key = ANY($1)", &[&keys])?;
        Ok(())
    }

    fn sweep_sign_ins(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let forgotten = now
            .checked_sub(time::Duration::try_from(BRAKE_MEMORY).unwrap_or_default())
            .unwrap_or(now);
        self.run(|conn| {
            let row = conn.query_opt(
                "WITH sessions AS (
                     DELETE FROM staff_sessions WHERE ends_at < $1 RETURNING 1
                 ), brakes AS (
                     DELETE FROM sign_in_brakes WHERE last_failure < $2 RETURNING 1
                 )
                 SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM brakes)",
                &[&now, &forgotten],
            )?;
            Ok(match row {
                Some(row) => count_in(column(&row, 0, "a count of swept rows")?),
                None => 0,
            })
        })
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let record = encode(entry)?;
        self.execute(
            "INSERT INTO audit (entry) VALUES ($1::text::json)",
            &[&record],
        )?;
        Ok(())
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(|conn| {
            let rows = conn.query(
                "SELECT entry::text FROM audit ORDER BY id DESC LIMIT $1",
                &[&limit],
            )?;
            let mut entries = Vec::with_capacity(rows.len());
            for row in &rows {
                let json: String = column(row, 0, "an audit entry")?;
                entries.push(decode(&json, "an audit entry")?);
            }
            Ok(entries)
        })
    }

    fn flush(&self) -> Result<(), StoreError> {
        // Every write was committed, durably, before it returned.
        Ok(())
    }

    fn shed_memory(&self) -> Result<bool, StoreError> {
        // The database server keeps its own memory; this process holds only a page at a time.
        Ok(false)
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO health (id, checked_at) VALUES (1, now())
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
            &[],
        )?;
        Ok(())
    }

    fn recover(&self) -> Result<(), StoreError> {
        // While the database is down, answers at once with why (a connection is tried at
        // most once per RECOVERY_PAUSE); once it is back, a connection proves it.
        let down = lock(&self.pool.state).down.is_some();
        if down {
            off_runtime(|| self.pool.get().map(drop))?;
        }
        Ok(())
    }
}

impl PostgresStore {
    /// A survey's responses after position `after`, up to `up_to`, or (`None`) up to the
    /// position settled when the first page is read ([`SETTLED_POSITION`]).
    fn responses_from<'a>(
        &'a self,
        survey_id: &str,
        after: i64,
        up_to: Option<i64>,
    ) -> Box<dyn Iterator<Item = Result<(u64, StoredResponse), StoreError>> + Send + 'a> {
        let survey_id = survey_id.to_owned();
        // Read on the first page, so making the iterator costs nothing.
        let mut settled: Option<i64> = up_to;
        paged(after, move |after: &i64| {
            self.run(|conn| {
                let up_to = match settled {
                    Some(up_to) => up_to,
                    None => {
                        let up_to = conn.transaction(|conn| {
                            conn.execute(SETTLE_WAIT, &[])?;
                            lock_positions(
                                conn,
                                std::iter::once(survey_id.as_str()),
                                Positions::Settle,
                            )?;
                            match conn.query_opt(SETTLED_POSITION, &[&survey_id])? {
                                Some(row) => {
                                    Ok(column::<i64>(&row, 0, "a survey's largest position")?)
                                }
                                None => Ok(0),
                            }
                        })?;
                        *settled.insert(up_to)
                    }
                };
                let rows = conn.query(RESPONSES_PAGE, &[&survey_id, after, &PAGE, &up_to])?;
                let mut next = None;
                let mut items = Vec::with_capacity(rows.len());
                for row in &rows {
                    let position: i64 = column(row, 0, "a response's position")?;
                    next = Some(position);
                    let body: String = column(row, 1, "a stored response")?;
                    items
                        .push(position_in(position).and_then(|p| Ok((p, decode_response(&body)?))));
                }
                let full = i64::try_from(rows.len()).is_ok_and(|n| n == PAGE);
                Ok((items, next.filter(|_| full)))
            })
        })
    }
}

// ---------------------------------------------------------------------------
// Moving a data directory in (`voices-collector migrate`, issue 14).

/// Where each of a batch of (survey, submission id) stands in the database: erased or not,
/// and the response kept for it.
const KNOWN_SUBMISSIONS: &str = "
SELECT s.survey_id, s.submission_id, s.erased_at IS NOT NULL, r.body::text
FROM unnest($1::text[], $2::uuid[]) AS k(survey_id, submission_id)
JOIN submissions s ON s.survey_id = k.survey_id AND s.submission_id = k.submission_id
LEFT JOIN responses r ON r.survey_id = s.survey_id AND r.submission_id = s.submission_id
";

/// Which of a batch's receipts the database already gives to a response, and to which.
const RECEIPTS_IN_USE: &str = "
SELECT receipt, survey_id, submission_id FROM responses WHERE receipt = ANY($1)
";

/// Stores a batch of new responses in the order given (so positions are drawn in it),
/// each with its submission id and its count, as [`INSERT_RESPONSE`] stores one; returns
/// the ones stored. Run under the position lock of every survey in the batch.
const MOVE_RESPONSES: &str = r#"
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int2[],
                         $6::date[], $7::int8[], $8::text[], $9::text[])
        WITH ORDINALITY AS t(survey_id, submission_id, receipt, submitted_at, submitted_ns,
                             day, version, channel, body, ord)
), claimed AS (
    INSERT INTO submissions (survey_id, submission_id)
    SELECT survey_id, submission_id FROM input
    ON CONFLICT DO NOTHING
    RETURNING survey_id, submission_id
), stored AS (
    INSERT INTO responses (survey_id, submission_id, receipt, submitted_at, submitted_ns,
                           day, version, channel, body)
    SELECT i.survey_id, i.submission_id, i.receipt, i.submitted_at, i.submitted_ns,
           i.day, i.version, i.channel, i.body::json
    FROM input i JOIN claimed c ON c.survey_id = i.survey_id AND c.submission_id = i.submission_id
    ORDER BY i.ord
    RETURNING survey_id, submission_id, day, version, channel
), counted AS (
    INSERT INTO tallies (survey_id, day, version, channel, count)
    SELECT survey_id, day, version, channel, count(*) FROM stored
    GROUP BY survey_id, day, version, channel
    ON CONFLICT (survey_id, day, version, channel) DO UPDATE SET count = tallies.count + excluded.count
)
SELECT survey_id, submission_id FROM stored
"#;

const MOVE_TOMBSTONES: &str = "
INSERT INTO submissions (survey_id, submission_id, erased_at)
SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])
ON CONFLICT DO NOTHING
";

const MOVED_BEFORE: &str = "SELECT key, digest FROM moved WHERE kind = $1 AND key = ANY($2)";

const NOTE_MOVED: &str = "
INSERT INTO moved (kind, key, digest)
SELECT $1, key, digest FROM unnest($2::text[], $3::text[]) AS t(key, digest)
ON CONFLICT DO NOTHING
";

/// What the database holds under a record's key, when moving it in inserted nothing.
enum Found {
    /// The very same record.
    Same,
    /// Something else: the conflict, in words.
    Other(String),
}

/// A moved record's key in the `moved` table, and the digest of what was moved (if a later
/// change in the data directory is to be reported).
type Identity = (String, Option<String>);

/// How a kind of record is moved in, for [`PostgresStore::move_keyed`].
struct Kind<'a, T> {
    /// Its kind in the `moved` table, if moved records are noted there.
    ledger: Option<&'static str>,
    /// Its key in the `moved` table, and the digest of what is moved (or none, see
    /// [`SCHEMA_4_MOVED_LEDGER`]).
    identify: &'a (dyn Fn(&T) -> Result<Identity, StoreError> + Sync),
    /// The record, in words, for a conflict.
    name: &'a (dyn Fn(&T) -> String + Sync),
    /// Inserts it unless its key (any unique key) is taken: whether it did.
    insert: &'a (dyn Fn(&mut Conn, &T) -> Result<bool, Failed> + Sync),
    /// What is there instead.
    found: &'a (dyn Fn(&mut Conn, &T) -> Result<Found, Failed> + Sync),
}

/// The SHA-256 (hex) of a record's JSON.
fn digest_of<T: Serialize>(record: &T) -> Result<String, StoreError> {
    Ok(crate::staff::credentials::digest(&encode(record)?))
}

/// A (survey, submission id) as the conflicts name it.
fn submission_named(survey_id: &str, submission_id: Uuid) -> String {
    format!("survey \"{survey_id}\", submission id {submission_id}")
}

type KnownSubmissions = HashMap<(String, Uuid), (bool, Option<String>)>;

impl PostgresStore {
    /// Moves a batch of one kind of record in one transaction: each one noted in `moved`
    /// before (a rerun) is already there, or a conflict if it changed since; the others
    /// are inserted unless their key is taken, and then compared with what has it.
    fn move_keyed<T: Sync>(
        &self,
        kind: &Kind<'_, T>,
        records: &[T],
    ) -> Result<Vec<Moved>, StoreError> {
        let identities = records
            .iter()
            .map(kind.identify)
            .collect::<Result<Vec<_>, _>>()?;
        let keys: Vec<&str> = identities.iter().map(|(key, _)| key.as_str()).collect();
        self.run(|conn| {
            conn.transaction(|conn| {
                let mut before: HashMap<String, Option<String>> = HashMap::new();
                if let Some(ledger) = kind.ledger {
                    for row in conn.query(MOVED_BEFORE, &[&ledger, &keys])? {
                        before.insert(
                            column(&row, 0, "a record of what was moved")?,
                            column(&row, 1, "a record of what was moved")?,
                        );
                    }
                }
                let mut outcomes = Vec::with_capacity(records.len());
                let (mut noted, mut digests) = (Vec::new(), Vec::new());
                for (record, (key, digest)) in records.iter().zip(&identities) {
                    if kind.ledger.is_some()
                        && let Some(moved) = before.get(key)
                    {
                        outcomes.push(if moved.is_none() || moved == digest {
                            Moved::AlreadyThere
                        } else {
                            Moved::Conflict(format!(
                                "{}: changed in the data directory since an earlier run moved it; the database keeps what it has",
                                (kind.name)(record)
                            ))
                        });
                        continue;
                    }
                    let outcome = if (kind.insert)(conn, record)? {
                        Moved::Moved
                    } else {
                        match (kind.found)(conn, record)? {
                            Found::Same => Moved::AlreadyThere,
                            Found::Other(why) => {
                                Moved::Conflict(format!("{}: {why}", (kind.name)(record)))
                            }
                        }
                    };
                    if !matches!(outcome, Moved::Conflict(_)) {
                        noted.push(key.as_str());
                        digests.push(digest.as_deref());
                    }
                    outcomes.push(outcome);
                }
                if let Some(ledger) = kind.ledger
                    && !noted.is_empty()
                {
                    conn.execute(NOTE_MOVED, &[&ledger, &noted, &digests])?;
                }
                Ok(outcomes)
            })
        })
    }

    /// Where the database stands on each (survey, submission id), under the position locks
    /// of their surveys (taken here, held to commit): no collector stores one meanwhile.
    fn known_submissions<'r>(
        conn: &mut Conn,
        keys: impl Iterator<Item = (&'r str, Uuid)> + Clone,
    ) -> Result<KnownSubmissions, Failed> {
        lock_positions(
            conn,
            keys.clone().map(|(survey, _)| survey),
            Positions::Settle,
        )?;
        let (survey_ids, submission_ids): (Vec<&str>, Vec<Uuid>) = keys.unzip();
        let mut known = HashMap::new();
        for row in conn.query(KNOWN_SUBMISSIONS, &[&survey_ids, &submission_ids])? {
            const WHAT: &str = "a submission";
            known.insert(
                (column(&row, 0, WHAT)?, column(&row, 1, WHAT)?),
                (column(&row, 2, WHAT)?, column(&row, 3, WHAT)?),
            );
        }
        Ok(known)
    }
}

impl MoveTarget for PostgresStore {
    fn move_surveys(&self, surveys: &[StoredSurvey]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                // Never deleted: what is there says whether it was moved.
                ledger: None,
                identify: &|_| Ok((String::new(), None)),
                name: &|s: &StoredSurvey| format!("survey \"{}\" version {}", s.id, s.version),
                insert: &|conn, s| {
                    let inserted = conn.execute(
                        "INSERT INTO surveys (id, version, definition) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[&s.id, &i64::from(s.version), &s.definition],
                    )? == 1;
                    // Collectors already serving from the database serve it within seconds.
                    if inserted {
                        conn.execute(NOTE_CHANGE, &[&"catalog", &1i64])?;
                    }
                    Ok(inserted)
                },
                found: &|conn, s| {
                    let row = conn.query_opt(
                        "SELECT definition FROM surveys WHERE id = $1 AND version = $2",
                        &[&s.id, &i64::from(s.version)],
                    )?;
                    let definition: Option<String> = match row {
                        Some(row) => Some(column(&row, 0, "a survey definition")?),
                        None => None,
                    };
                    Ok(if definition.as_deref() == Some(s.definition.as_str()) {
                        Found::Same
                    } else {
                        Found::Other("the database has a different definition under this version; responses already name each, so neither is replaced".into())
                    })
                },
            },
            surveys,
        )
    }

    fn move_responses(&self, responses: &[StoredResponse]) -> Result<Vec<Moved>, StoreError> {
        // Everything the statement needs, made once: the transaction may be tried again.
        let mut columns = (
            Vec::with_capacity(responses.len()),
            Vec::with_capacity(responses.len()),
            Vec::with_capacity(responses.len()),
        );
        for response in responses {
            let (at, nanos) = split_time(response.submitted_at)?;
            columns.0.push((at, nanos));
            columns.1.push(encode(response)?);
            columns.2.push(response.day());
        }
        let (times, bodies, days) = columns;
        self.run(|conn| {
            conn.transaction(|conn| {
                let known = PostgresStore::known_submissions(
                    conn,
                    responses
                        .iter()
                        .map(|r| (r.survey_id.as_str(), r.submission_id)),
                )?;
                let receipts: Vec<&str> = responses.iter().map(|r| r.receipt.as_str()).collect();
                let mut in_use: HashMap<String, (String, Uuid)> = HashMap::new();
                for row in conn.query(RECEIPTS_IN_USE, &[&receipts])? {
                    const WHAT: &str = "a receipt";
                    in_use.insert(
                        column(&row, 0, WHAT)?,
                        (column(&row, 1, WHAT)?, column(&row, 2, WHAT)?),
                    );
                }
                let mut outcomes = Vec::with_capacity(responses.len());
                let mut new = Vec::new();
                let mut in_batch = std::collections::HashSet::new();
                for (i, response) in responses.iter().enumerate() {
                    let key = (response.survey_id.clone(), response.submission_id);
                    let named = submission_named(&response.survey_id, response.submission_id);
                    let receipt = response.receipt.as_str();
                    let outcome = match known.get(&key) {
                        // Erased in the database since it was moved: it stays erased.
                        Some((true, _)) => Moved::AlreadyThere,
                        Some((false, Some(body))) => {
                            if decode_response(body)? == *response {
                                Moved::AlreadyThere
                            } else {
                                Moved::Conflict(format!(
                                    "{named} (receipt {receipt}): the database holds a different response under this submission id"
                                ))
                            }
                        }
                        Some((false, None)) => {
                            return Err(StoreError::Corrupt(format!(
                                "{named}: the database keeps the submission id without its response or a tombstone"
                            ))
                            .into());
                        }
                        None => match in_use.get(receipt) {
                            Some((survey, submission)) => Moved::Conflict(format!(
                                "{named}: its receipt {receipt} is the database's for another response ({})",
                                submission_named(survey, *submission)
                            )),
                            None if !in_batch.insert(receipt) => Moved::Conflict(format!(
                                "{named}: its receipt {receipt} is another response's in the data directory too"
                            )),
                            None => {
                                new.push(i);
                                Moved::Moved
                            }
                        },
                    };
                    outcomes.push(outcome);
                }
                if new.is_empty() {
                    return Ok(outcomes);
                }
                let survey_ids: Vec<&str> = new
                    .iter()
                    .map(|&i| responses[i].survey_id.as_str())
                    .collect();
                let submission_ids: Vec<Uuid> =
                    new.iter().map(|&i| responses[i].submission_id).collect();
                let new_receipts: Vec<&str> =
                    new.iter().map(|&i| responses[i].receipt.as_str()).collect();
                let at: Vec<OffsetDateTime> = new.iter().map(|&i| times[i].0).collect();
                let nanos: Vec<i16> = new.iter().map(|&i| times[i].1).collect();
                let day: Vec<time::Date> = new.iter().map(|&i| days[i]).collect();
                let versions: Vec<i64> = new
                    .iter()
                    .map(|&i| i64::from(responses[i].survey_version))
                    .collect();
                let channels: Vec<&str> = new
                    .iter()
                    .map(|&i| responses[i].channel.as_str())
                    .collect();
                let body: Vec<&str> = new.iter().map(|&i| bodies[i].as_str()).collect();
                let stored = conn.query(
                    MOVE_RESPONSES,
                    &[
                        &survey_ids,
                        &submission_ids,
                        &new_receipts,
                        &at,
                        &nanos,
                        &day,
                        &versions,
                        &channels,
                        &body,
                    ],
                )?;
                let mut stored_keys = std::collections::HashSet::new();
                for row in &stored {
                    let survey: String = column(row, 0, "a moved response")?;
                    let submission: Uuid = column(row, 1, "a moved response")?;
                    stored_keys.insert((survey, submission));
                }
                // Under the position locks nothing else stores these; should something
                // have, it was there before this batch was.
                for &i in &new {
                    let key = (responses[i].survey_id.clone(), responses[i].submission_id);
                    if !stored_keys.contains(&key) {
                        outcomes[i] = Moved::AlreadyThere;
                    }
                }
                Ok(outcomes)
            })
        })
    }

    fn move_tombstones(&self, tombstones: &[Tombstone]) -> Result<Vec<Moved>, StoreError> {
        self.run(|conn| {
            conn.transaction(|conn| {
                let known = PostgresStore::known_submissions(
                    conn,
                    tombstones
                        .iter()
                        .map(|t| (t.survey_id.as_str(), t.submission_id)),
                )?;
                let mut outcomes = Vec::with_capacity(tombstones.len());
                let (mut surveys, mut submissions, mut erased) = (Vec::new(), Vec::new(), Vec::new());
                for tombstone in tombstones {
                    let key = (tombstone.survey_id.clone(), tombstone.submission_id);
                    outcomes.push(match known.get(&key) {
                        Some((true, _)) => Moved::AlreadyThere,
                        Some((false, body)) => {
                            let receipt = match body {
                                Some(body) => decode_response(body)?.receipt.as_str().to_owned(),
                                None => "none".to_owned(),
                            };
                            Moved::Conflict(format!(
                                "{} (erased): erased in the data directory, but its response is stored in the database (receipt {receipt}); erase it there if it should go",
                                submission_named(&tombstone.survey_id, tombstone.submission_id)
                            ))
                        }
                        None => {
                            surveys.push(tombstone.survey_id.as_str());
                            submissions.push(tombstone.submission_id);
                            erased.push(tombstone.erased_at);
                            Moved::Moved
                        }
                    });
                }
                if !surveys.is_empty() {
                    conn.execute(MOVE_TOMBSTONES, &[&surveys, &submissions, &erased])?;
                }
                Ok(outcomes)
            })
        })
    }

    fn move_outcomes(&self, outcomes: &[(String, String)]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("outcomes"),
                identify: &|(survey, document): &(String, String)| {
                    Ok((
                        survey.clone(),
                        Some(crate::staff::credentials::digest(document)),
                    ))
                },
                name: &|(survey, _)| format!("the updates of survey \"{survey}\""),
                insert: &|conn, (survey, document)| {
                    let inserted = conn.execute(
                        "INSERT INTO outcomes (survey_id, document) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        &[survey, document],
                    )? == 1;
                    if inserted {
                        conn.execute(NOTE_CHANGE, &[&"catalog", &1i64])?;
                    }
                    Ok(inserted)
                },
                found: &|conn, (survey, document)| {
                    let row = conn.query_opt(
                        "SELECT document FROM outcomes WHERE survey_id = $1",
                        &[survey],
                    )?;
                    let there: Option<String> = match row {
                        Some(row) => Some(column(&row, 0, "a survey's updates")?),
                        None => None,
                    };
                    Ok(if there.as_ref() == Some(document) {
                        Found::Same
                    } else {
                        Found::Other("the database has other updates for this survey; change them there".into())
                    })
                },
            },
            outcomes,
        )
    }

    fn move_population(&self, figures: &[(String, String)]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("population"),
                identify: &|(survey, csv): &(String, String)| {
                    Ok((survey.clone(), Some(crate::staff::credentials::digest(csv))))
                },
                name: &|(survey, _)| format!("the population figures of survey \"{survey}\""),
                insert: &|conn, (survey, csv)| {
                    Ok(conn.execute(
                        "INSERT INTO population (survey_id, figures) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        &[survey, &csv.as_bytes()],
                    )? == 1)
                },
                found: &|conn, (survey, csv)| {
                    let row = conn.query_opt(
                        "SELECT figures FROM population WHERE survey_id = $1",
                        &[survey],
                    )?;
                    let there: Option<Vec<u8>> = match row {
                        Some(row) => Some(column(&row, 0, "a survey's population")?),
                        None => None,
                    };
                    Ok(if there.as_deref() == Some(csv.as_bytes()) {
                        Found::Same
                    } else {
                        Found::Other("the database has other figures for this survey; load them there".into())
                    })
                },
            },
            figures,
        )
    }

    fn move_pictures(&self, pictures: &[SurveyPicture]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("picture"),
                identify: &|picture: &SurveyPicture| {
                    Ok((
                        format!("{}/{}", picture.survey_id, picture.file),
                        Some(crate::staff::credentials::hex(&{
                            use sha2::Digest as _;
                            sha2::Sha256::digest(&picture.bytes)
                        })),
                    ))
                },
                name: &|picture| {
                    format!("picture {} of survey \"{}\"", picture.file, picture.survey_id)
                },
                insert: &|conn, picture| {
                    Ok(conn.execute(
                        "INSERT INTO pictures (survey_id, file, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[&picture.survey_id, &picture.file, &picture.bytes],
                    )? == 1)
                },
                found: &|conn, picture| {
                    let row = conn.query_opt(
                        "SELECT bytes FROM pictures WHERE survey_id = $1 AND file = $2",
                        &[&picture.survey_id, &picture.file],
                    )?;
                    let there: Option<Vec<u8>> = match row {
                        Some(row) => Some(column(&row, 0, "a survey's picture")?),
                        None => None,
                    };
                    Ok(if there.as_deref() == Some(picture.bytes.as_slice()) {
                        Found::Same
                    } else {
                        Found::Other("the database has another picture by that name for this survey; publish it there".into())
                    })
                },
            },
            pictures,
        )
    }

    fn move_users(&self, users: &[StaffUser]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("user"),
                identify: &|user: &StaffUser| Ok((user.name.clone(), Some(digest_of(user)?))),
                name: &|user| format!("user \"{}\"", user.name),
                insert: &|conn, user| {
                    let record = encode(user)?;
                    Ok(conn.execute(
                        "INSERT INTO users (name, record) VALUES ($1, $2::text::json) ON CONFLICT DO NOTHING",
                        &[&user.name, &record],
                    )? == 1)
                },
                found: &|conn, user| {
                    let row = conn.query_opt(
                        "SELECT record::text FROM users WHERE name = $1",
                        &[&user.name],
                    )?;
                    Ok(match row {
                        Some(row) if decode::<StaffUser>(&column::<String>(&row, 0, "a staff user")?, "a staff user")? == *user => Found::Same,
                        _ => Found::Other("the database has an account of this name with another password, role or surveys; remove one of them, or add it again under another name".into()),
                    })
                },
            },
            users,
        )
    }

    fn move_tokens(&self, tokens: &[StaffToken]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("token"),
                identify: &|token: &StaffToken| Ok((token.name.clone(), Some(digest_of(token)?))),
                name: &|token| format!("token \"{}\"", token.name),
                insert: &|conn, token| {
                    let record = encode(token)?;
                    Ok(conn.execute(
                        "INSERT INTO tokens (name, token_hash, record) VALUES ($1, $2, $3::text::json) ON CONFLICT DO NOTHING",
                        &[&token.name, &token.token_hash, &record],
                    )? == 1)
                },
                found: &|conn, token| {
                    let row = conn.query_opt(
                        "SELECT record::text FROM tokens WHERE name = $1",
                        &[&token.name],
                    )?;
                    Ok(match row {
                        Some(row) if decode::<StaffToken>(&column::<String>(&row, 0, "a token")?, "a token")? == *token => Found::Same,
                        Some(_) => Found::Other("the database has a token of this name with another secret or role; revoke one of them".into()),
                        None => Found::Other("its secret is the database's token by another name".into()),
                    })
                },
            },
            tokens,
        )
    }

    fn move_collections(&self, collections: &[Collection]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                ledger: Some("collection"),
                identify: &|c: &Collection| Ok((c.id.clone(), Some(digest_of(c)?))),
                name: &|c| format!("collection credential {}", Collection::short_id(&c.id)),
                insert: &|conn, c| {
                    let record = encode(c)?;
                    Ok(conn.execute(
                        "INSERT INTO collections (id, secret_hash, record) VALUES ($1, $2, $3::text::json) ON CONFLICT DO NOTHING",
                        &[&c.id, &c.secret_hash, &record],
                    )? == 1)
                },
                found: &|conn, c| {
                    let row = conn.query_opt(
                        "SELECT record::text FROM collections WHERE id = $1",
                        &[&c.id],
                    )?;
                    const WHAT: &str = "a collection credential";
                    Ok(match row {
                        Some(row) if decode::<Collection>(&column::<String>(&row, 0, WHAT)?, WHAT)? == *c => Found::Same,
                        Some(_) => Found::Other("the database has a credential of this id for another device, survey or time".into()),
                        None => Found::Other("its secret is another credential's in the database".into()),
                    })
                },
            },
            collections,
        )
    }

    fn move_subscriptions(&self, subscriptions: &[Subscription]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                // Noted by the digest of its token, which is the secret in every email's
                // link: the note outlives the subscription, and must not keep it, nor
                // anything of the address.
                ledger: Some("subscription"),
                identify: &|s: &Subscription| {
                    Ok((crate::staff::credentials::digest(&s.token), None))
                },
                // Neither the address nor the token is shown: it is someone's.
                name: &|s| format!("a subscription to the updates of survey \"{}\"", s.survey_id),
                insert: &|conn, s| {
                    let address = crate::staff::credentials::digest(&s.email.to_lowercase());
                    Ok(conn.execute(
                        "INSERT INTO subscriptions (token, survey_id, address, email, locale, since, told, ended)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                        &[&s.token, &s.survey_id, &address, &s.email, &s.locale, &s.since, &s.told, &s.ended],
                    )? == 1)
                },
                found: &|conn, s| {
                    Ok(match conn.query_opt(SUBSCRIPTION_COLUMNS, &[&s.token])? {
                        Some(row) if subscription_from(&row)? == *s => Found::Same,
                        Some(_) => Found::Other("the database has it with other updates told".into()),
                        None => Found::Other("its address already gets this survey's updates in the database, by another subscription".into()),
                    })
                },
            },
            subscriptions,
        )
    }

    fn move_mail(&self, jobs: &[MailJob]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                // Noted, so an email sent from the database since is not queued again.
                ledger: Some("mail"),
                identify: &|job: &MailJob| {
                    Ok((
                        crate::staff::credentials::digest(&format!(
                            "{}\n{}",
                            job.token, job.update_id
                        )),
                        None,
                    ))
                },
                name: &|job| {
                    format!(
                        "an email of update \"{}\" of survey \"{}\"",
                        job.update_id, job.survey_id
                    )
                },
                insert: &|conn, job| {
                    let (due, due_ns) = split_time(job.due)?;
                    Ok(conn.execute(
                        "INSERT INTO mail_queue (token, update_id, survey_id, attempts, due, due_ns)
                         SELECT $1, $2, $3, $4, $5, $6
                         WHERE EXISTS (SELECT 1 FROM subscriptions WHERE token = $1)
                         ON CONFLICT DO NOTHING",
                        &[&job.token, &job.update_id, &job.survey_id, &i64::from(job.attempts), &due, &due_ns],
                    )? == 1)
                },
                found: &|conn, job| {
                    let queued = conn.query_opt(
                        "SELECT 1 FROM mail_queue WHERE token = $1 AND update_id = $2",
                        &[&job.token, &job.update_id],
                    )?;
                    // Queued already (its attempts may differ): the same email.
                    Ok(if queued.is_some() {
                        Found::Same
                    } else {
                        Found::Other("the subscription it goes to is not in the database (see the subscriptions)".into())
                    })
                },
            },
            jobs,
        )
    }

    fn move_audit(&self, entries: &[LoggedAudit]) -> Result<Vec<Moved>, StoreError> {
        self.move_keyed(
            &Kind {
                // The audit table has no key of its own: the line's key (where it was in its
                // log, and the digest of what it says) is noted in `moved` instead.
                ledger: Some("audit"),
                identify: &|line: &LoggedAudit| Ok((line.key.clone(), None)),
                name: &|line| format!("audit entry {}", line.key),
                insert: &|conn, line| {
                    let record = encode(&line.entry)?;
                    conn.execute(
                        "INSERT INTO audit (entry) VALUES ($1::text::json)",
                        &[&record],
                    )?;
                    Ok(true)
                },
                found: &|_, _| Ok(Found::Same),
            },
            entries,
        )
    }
}
