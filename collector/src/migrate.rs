//! `voices-collector migrate`: moves everything a data directory holds into a PostgreSQL database, a batch at a time, never over what is there, and safe to run again.
//!
//! It reads through [`MoveSource`] and writes through [`MoveTarget`] (the store module
//! alone knows they are sled and PostgreSQL), kind by kind, in the order a collector needs
//! them: the surveys first (responses name them), each survey's responses in the order
//! they were stored (so their positions keep it), the tombstones of erased responses (so
//! an erased submission is refused on the database too), then the surveys' updates and
//! population figures, pictures, staff, tokens, collection credentials, subscriptions, the emails
//! waiting for them and the audit log. The counts the dashboard reads are made with the
//! responses, in the same statement.
//!
//! Each batch is one transaction, and each record in it is moved, found already there, or
//! a conflict (the database holds something else under its key: said, counted, never
//! overwritten). So memory stays flat however many responses there are, a run stopped
//! halfway leaves whole batches, and the next run moves the rest and nothing twice. A
//! record that cannot be read is said and counted, and the rest still move.

use std::sync::mpsc::SyncSender;

use crate::store::{MoveSource, MoveTarget, Moved, StoreError, StoredResponse};

/// Records per batch, and so per transaction: large enough that a million responses cost
/// a thousand commits, small enough that a batch is a few megabytes at most.
pub const BATCH: usize = 1000;

/// Conflicts or unreadable records said one by one, of each kind; the rest are counted.
pub const SHOWN: u64 = 20;

/// Progress is said every this many responses.
const PROGRESS_EVERY: u64 = 100_000;

/// The kinds of record moved, in the order they are moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Surveys,
    Responses,
    Erased,
    Outcomes,
    Population,
    Pictures,
    Users,
    Tokens,
    Collections,
    Subscriptions,
    Mail,
    Audit,
}

impl Kind {
    /// What a count of them is called.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Surveys => "survey versions",
            Kind::Responses => "responses",
            Kind::Erased => "erased submission ids",
            Kind::Outcomes => "surveys' updates",
            Kind::Population => "surveys' population figures",
            Kind::Pictures => "surveys' pictures",
            Kind::Users => "users",
            Kind::Tokens => "tokens",
            Kind::Collections => "collection credentials",
            Kind::Subscriptions => "subscriptions to updates",
            Kind::Mail => "queued emails",
            Kind::Audit => "audit entries",
        }
    }
}

/// What became of one kind's records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub moved: u64,
    pub already_there: u64,
    pub conflicts: u64,
    /// Records the data directory holds but that could not be read.
    pub unreadable: u64,
}

/// What a run did, kind by kind, and each survey's responses on both sides after it.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub kinds: Vec<(Kind, Counts)>,
    /// (survey id, responses in the data directory, responses in the database), from each
    /// side's counts.
    pub surveys: Vec<(String, u64, u64)>,
}

impl Report {
    pub fn counts(&self, kind: Kind) -> Counts {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, counts)| *counts)
            .unwrap_or_default()
    }

    pub fn conflicts(&self) -> u64 {
        self.kinds.iter().map(|(_, c)| c.conflicts).sum()
    }

    pub fn unreadable(&self) -> u64 {
        self.kinds.iter().map(|(_, c)| c.unreadable).sum()
    }

    /// One line per kind: "moved 1000000 responses (0 already there)", with its conflicts
    /// and unreadable records when it has any.
    pub fn lines(&self) -> Vec<String> {
        self.kinds
            .iter()
            .map(|(kind, c)| {
                let mut line = format!(
                    "moved {} {} ({} already there",
                    c.moved,
                    kind.plural(),
                    c.already_there
                );
                if c.conflicts > 0 {
                    line.push_str(&format!(", {} in conflict", c.conflicts));
                }
                if c.unreadable > 0 {
                    line.push_str(&format!(", {} unreadable", c.unreadable));
                }
                line.push(')');
                line
            })
            .collect()
    }
}

/// What a run says as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A record not moved because the database holds something else under its key (the
    /// first [`SHOWN`] of each kind).
    Conflict(Kind, String),
    /// A record of the data directory that could not be read (the first [`SHOWN`] of each
    /// kind).
    Unreadable(Kind, String),
    /// Responses gone through so far, of how many the data directory counts.
    Progress { done: u64, of: u64 },
}

/// Moves everything `from` holds into `to` (see the module docs). Fails only when a
/// store cannot be used (the database went away, the disk failed): what was moved by then
/// stays moved, and a rerun goes on from there.
pub fn migrate(
    from: &dyn MoveSource,
    to: &dyn MoveTarget,
    say: &mut dyn FnMut(Event),
) -> Result<Report, StoreError> {
    let mut report = Report::default();
    let surveys = from.surveys()?;
    let mut survey_ids: Vec<String> = surveys.iter().map(|s| s.id.clone()).collect();
    survey_ids.dedup();
    let mut run = Run {
        say,
        report: &mut report,
    };
    // Survey versions the database holds with another definition: their responses stay
    // behind too, as conflicts, or their answers would be read against other questions.
    let mut conflicting = std::collections::HashSet::new();
    run.kind(Kind::Surveys, all(surveys), None, |batch| {
        let moved = to.move_surveys(batch)?;
        for (survey, outcome) in batch.iter().zip(&moved) {
            if let Moved::Conflict(_) = outcome {
                conflicting.insert((survey.id.clone(), survey.version));
            }
        }
        Ok(moved)
    })?;
    let mut expected = 0;
    for id in &survey_ids {
        expected += from.response_count(id)?;
    }
    run.kind(
        Kind::Responses,
        from.every_response(),
        Some(expected),
        |batch: &[StoredResponse]| {
            let left = |r: &StoredResponse| {
                conflicting.contains(&(r.survey_id.clone(), r.survey_version))
            };
            if !batch.iter().any(left) {
                return to.move_responses(batch);
            }
            let movable: Vec<StoredResponse> =
                batch.iter().filter(|r| !left(r)).cloned().collect();
            let moved = if movable.is_empty() {
                Vec::new()
            } else {
                to.move_responses(&movable)?
            };
            if moved.len() != movable.len() {
                return Err(StoreError::Corrupt(format!(
                    "the database answered for {} of a batch of {} responses",
                    moved.len(),
                    movable.len()
                )));
            }
            let mut moved = moved.into_iter();
            Ok(batch
                .iter()
                .map(|r| {
                    if left(r) {
                        Moved::Conflict(format!(
                            "response {} to survey \"{}\" version {}: the database has another definition of that version, so it is not moved",
                            r.receipt, r.survey_id, r.survey_version
                        ))
                    } else {
                        moved.next().unwrap_or(Moved::AlreadyThere)
                    }
                })
                .collect())
        },
    )?;
    run.kind(Kind::Erased, from.tombstones(), None, |b| {
        to.move_tombstones(b)
    })?;
    run.kind(Kind::Outcomes, all(from.all_outcomes()?), None, |b| {
        to.move_outcomes(b)
    })?;
    run.kind(Kind::Population, all(from.every_population()?), None, |b| {
        to.move_population(b)
    })?;
    run.kind(Kind::Pictures, all(from.every_picture()?), None, |b| {
        to.move_pictures(b)
    })?;
    run.kind(Kind::Users, all(from.users()?), None, |b| to.move_users(b))?;
    run.kind(Kind::Tokens, all(from.tokens()?), None, |b| {
        to.move_tokens(b)
    })?;
    run.kind(Kind::Collections, all(from.collections()?), None, |b| {
        to.move_collections(b)
    })?;
    run.kind(Kind::Subscriptions, from.every_subscription(), None, |b| {
        to.move_subscriptions(b)
    })?;
    run.kind(Kind::Mail, from.mail_queue(), None, |b| to.move_mail(b))?;
    run.kind(Kind::Audit, from.audit_log(), None, |b| to.move_audit(b))?;
    to.flush()?;

    for id in survey_ids {
        let (here, there) = (from.response_count(&id)?, to.response_count(&id)?);
        report.surveys.push((id, here, there));
    }
    Ok(report)
}

/// Records read whole (a few per survey, or staff), as [`Run::kind`] takes them.
fn all<T>(records: Vec<T>) -> impl Iterator<Item = Result<T, StoreError>> {
    records.into_iter().map(Ok)
}

/// A run under way: what it says, and what it counted so far.
struct Run<'a> {
    say: &'a mut dyn FnMut(Event),
    report: &'a mut Report,
}

impl Run<'_> {
    /// Moves one kind's records, [`BATCH`] at a time, through `write`; with `total`, says
    /// how far it got every [`PROGRESS_EVERY`] records.
    ///
    /// The records are read on a thread of their own, a batch ahead: the data directory
    /// is read and decoded while the database stores the batch before, rather than each
    /// waiting for the other.
    fn kind<T: Send>(
        &mut self,
        kind: Kind,
        records: impl Iterator<Item = Result<T, StoreError>> + Send,
        total: Option<u64>,
        mut write: impl FnMut(&[T]) -> Result<Vec<Moved>, StoreError>,
    ) -> Result<(), StoreError> {
        let mut counts = Counts::default();
        let mut done = 0u64;
        std::thread::scope(|scope| {
            let (hand_over, batches) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || read_ahead(records, &hand_over));
            // Returning early drops `batches`: the reader's next hand-over fails, and it stops.
            for batch in batches {
                let Batch {
                    records,
                    unreadable,
                } = batch?;
                for why in unreadable {
                    counts.unreadable += 1;
                    if counts.unreadable <= SHOWN {
                        (self.say)(Event::Unreadable(kind, why));
                    }
                }
                if records.is_empty() {
                    continue;
                }
                let outcomes = write(&records)?;
                if outcomes.len() != records.len() {
                    return Err(StoreError::Corrupt(format!(
                        "the database answered for {} of a batch of {} {}",
                        outcomes.len(),
                        records.len(),
                        kind.plural()
                    )));
                }
                for outcome in outcomes {
                    match outcome {
                        Moved::Moved => counts.moved += 1,
                        Moved::AlreadyThere => counts.already_there += 1,
                        Moved::Conflict(why) => {
                            counts.conflicts += 1;
                            if counts.conflicts <= SHOWN {
                                (self.say)(Event::Conflict(kind, why));
                            }
                        }
                    }
                }
                let before = done;
                done += u64::try_from(records.len()).unwrap_or(u64::MAX);
                if let Some(of) = total
                    && done / PROGRESS_EVERY > before / PROGRESS_EVERY
                {
                    (self.say)(Event::Progress { done, of });
                }
            }
            Ok(())
        })?;
        self.report.kinds.push((kind, counts));
        Ok(())
    }
}

/// Records read for one batch, and what could not be read among them (the error of each).
struct Batch<T> {
    records: Vec<T>,
    unreadable: Vec<String>,
}

impl<T> Batch<T> {
    fn new() -> Batch<T> {
        Batch {
            records: Vec::with_capacity(BATCH),
            unreadable: Vec::new(),
        }
    }
}

/// Reads `records` into batches and hands each over, until they end, the store fails (that
/// error is handed over last), or the other side stops taking them.
fn read_ahead<T>(
    records: impl Iterator<Item = Result<T, StoreError>>,
    hand_over: &SyncSender<Result<Batch<T>, StoreError>>,
) {
    let mut batch = Batch::new();
    for record in records {
        match record {
            Ok(record) => batch.records.push(record),
            // Its bytes are there but do not read as the record: said, and the rest still
            // move.
            Err(StoreError::Corrupt(why)) => batch.unreadable.push(why),
            // The store itself cannot be read: nothing after this would be either.
            Err(other) => {
                let _ = hand_over.send(Err(other));
                return;
            }
        }
        if (batch.records.len() == BATCH || batch.unreadable.len() == BATCH)
            && hand_over
                .send(Ok(std::mem::replace(&mut batch, Batch::new())))
                .is_err()
        {
            return;
        }
    }
    let _ = hand_over.send(Ok(batch));
}
