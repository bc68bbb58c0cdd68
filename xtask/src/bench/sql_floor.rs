//! The floor of what a SQL-backed collector can do: a plain client inserting the rows the collector stores, one durable transaction each, at the ingest bench's concurrency.
//!
//! Each of the clients is a thread with its own connection (the `postgres` crate), and
//! runs the one statement a minimal peer would for a submission: claim its submission id
//! in `submissions` (`INSERT ... ON CONFLICT DO NOTHING`) and insert its response into
//! `responses`, in autocommit, so every submission is its own commit, waited for
//! (`synchronous_commit` on). The rows are the collector's: the same tables (made by
//! the collector), the same columns, and the JSON the collector would store for the
//! same bodies. No HTTP, no checking of the answers, no counts, no position lock:
//! whatever the collector does beyond this is its own cost.
//!
//! Timed as the HTTP load generator times requests ([`super::load`]): a warm-up, then the
//! transactions started in the window, until the last of them is committed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use postgres::error::SqlState;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::load::{ClientLog, Outcome, Window};
use super::submission::{Bodies, SURVEY_ID};

/// One submission: its id claimed and its response stored in one statement, as the
/// collector's own statement does without its counts and its position lock.
const INSERT: &str = "
WITH claimed AS (
    INSERT INTO submissions (survey_id, submission_id) VALUES ($1, $2)
    ON CONFLICT DO NOTHING
    RETURNING survey_id, submission_id
)
INSERT INTO responses (survey_id, submission_id, receipt, submitted_at, submitted_ns,
                       day, version, channel, body)
SELECT survey_id, submission_id, $3, $4, $5, $6, $7, $8, $9::text::json FROM claimed
";

/// The receipt's alphabet (collector/src/receipt.rs): eight of these, as `K7QF-2MXD`.
const RECEIPT_ALPHABET: &[u8; 25] = b"346789ABCDEFGHJKMNPQRTWXY";

pub struct Plan<'a> {
    pub url: &'a str,
    pub clients: usize,
    pub warmup: Duration,
    pub measure: Duration,
}

/// Runs the clients against the database at `plan.url`, which has the collector's schema.
pub fn run(plan: &Plan<'_>, bodies: &Arc<Bodies>) -> Result<Outcome> {
    // Connected before the clock starts, as the HTTP clients' first connection is part of
    // their warm-up: the window is what is compared.
    let mut connections = Vec::with_capacity(plan.clients);
    for _ in 0..plan.clients {
        connections.push(
            postgres::Client::connect(plan.url, postgres::NoTls)
                .with_context(|| format!("connecting to {}", plan.url))?,
        );
    }
    let window = Window::from_now(plan.warmup, plan.measure);
    let threads: Vec<_> = connections
        .into_iter()
        .enumerate()
        .map(|(index, connection)| {
            let bodies = Arc::clone(bodies);
            let step = plan.clients;
            std::thread::Builder::new()
                .name(format!("sql-floor-{index}"))
                .spawn(move || client(connection, &bodies, index, step, window))
        })
        .collect::<Result<_, _>>()
        .context("starting the floor's client threads")?;
    let mut logs = Vec::with_capacity(plan.clients);
    for thread in threads {
        logs.push(
            thread
                .join()
                .map_err(|_| anyhow!("a floor client thread panicked"))?,
        );
    }
    Outcome::of(window, plan.measure, logs)
}

/// Inserts one submission after another until the window closes; an error ends the client
/// (and, being an error, fails the benchmark).
fn client(
    mut connection: postgres::Client,
    bodies: &Bodies,
    first: usize,
    step: usize,
    window: Window,
) -> ClientLog {
    let mut log = ClientLog::default();
    if let Err(error) = insert_until(&mut connection, bodies, first, step, window, &mut log) {
        *log.errors.entry(format!("{error:#}")).or_default() += 1;
    }
    log
}

fn insert_until(
    connection: &mut postgres::Client,
    bodies: &Bodies,
    first: usize,
    step: usize,
    window: Window,
    log: &mut ClientLog,
) -> Result<()> {
    let statement = connection.prepare(INSERT).context("preparing the insert")?;
    let mut n = first;
    loop {
        // The row is made before the clock starts, as the HTTP client makes its body first.
        let id = Uuid::new_v4();
        let body = bodies.body_for(n, id);
        n += step;
        let now = OffsetDateTime::now_utc();
        let stamp = now.format(&Rfc3339).context("formatting a time")?;
        // PostgreSQL keeps whole microseconds; the collector keeps the nanoseconds past
        // them in `submitted_ns`.
        let nanos = i16::try_from(now.nanosecond() % 1000).unwrap_or(0);
        let at = now - time::Duration::nanoseconds(i64::from(nanos));
        let mut receipt = random_receipt();
        let mut row = stored_json(&receipt, &stamp, &body);
        let sent = Instant::now();
        if sent >= window.end {
            return Ok(());
        }
        loop {
            let inserted = connection.execute(
                &statement,
                &[
                    &SURVEY_ID,
                    &id,
                    &receipt,
                    &at,
                    &nanos,
                    &now.date(),
                    &1i64,
                    &"online",
                    &row,
                ],
            );
            match inserted {
                Ok(1) => break,
                Ok(rows) => {
                    return Err(anyhow!("a fresh submission id inserted {rows} rows, not 1"));
                }
                // A receipt drawn twice: draw another, as the collector does.
                Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    receipt = random_receipt();
                    row = stored_json(&receipt, &stamp, &body);
                }
                Err(error) => return Err(error).context("inserting a submission"),
            }
        }
        let answered = Instant::now();
        log.sent += 1;
        if sent >= window.start {
            log.latencies.push(answered - sent);
            log.last_answer = Some(answered);
        }
    }
}

/// The JSON the collector stores for `body`: the submission's fields with its receipt,
/// survey and time.
fn stored_json(receipt: &str, submitted_at: &str, body: &str) -> String {
    format!(
        "{{\"receipt\":\"{receipt}\",\"survey_id\":\"{SURVEY_ID}\",\"submitted_at\":\"{submitted_at}\",{}",
        body.strip_prefix('{').unwrap_or(body)
    )
}

/// A receipt shaped like the collector's, from a v4 UUID's random bits.
fn random_receipt() -> String {
    let mut bits = Uuid::new_v4().as_u128();
    let mut text = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            text.push('-');
        }
        text.push(char::from(RECEIPT_ALPHABET[(bits % 25) as usize]));
        bits /= 25;
    }
    text
}
