//! The writer: stores responses in batches, taken in arrival order, with one flush per batch.
//!
//! Handlers hand their response to the writer and wait. The writer takes
//! everything that has queued up, stores it with one call
//! ([`Store::insert_responses`]: one transaction on PostgreSQL, one sled batch
//! on sled), flushes once for the whole batch, and only then answers each handler.
//! That is group commit: concurrent submissions share one flush (or commit), and
//! nothing is acknowledged before it is on disk. When what has queued up is already a
//! busy batch, the writer first lets it grow for a moment where the store says a batch is
//! worth it ([`Store::gathering`]: on sled, whose every flush costs about the same).
//!
//! It runs as many threads as the store takes batches at once
//! ([`Store::batches_at_once`]): one on sled, so sled's write path is never
//! contended; several on PostgreSQL, so that while one batch waits for its
//! commit the next is already on its way. Each thread takes the next batch from
//! the one queue, so batches start in arrival order (and may end in any).
//!
//! The health check goes through the same queue, so `/healthz` sees what a
//! submission queued beside it would: a store that cannot write, a writer that
//! has stopped, or one stuck on a disk that does not answer. Before each batch the writer asks
//! the store to recover from an earlier failed write ([`Store::recover`]), so
//! the collector takes responses again without a restart once the disk does.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::receipt::Receipt;
use crate::store::{InsertOutcome, Store, StoreError, StoredResponse};

/// Most responses stored under one flush; more wait for the next.
const MAX_BATCH: usize = 256;
/// A batch at least this large says submissions arrive faster than batches are stored:
/// then the writer gathers more before storing ([`Store::gathering`]). Below it, as when
/// the collector is quiet, nothing waits.
const BUSY_BATCH: usize = 8;
/// Submissions waiting for the writer before handlers wait to queue (backpressure).
const QUEUE: usize = 4096;

/// What became of a response handed to the writer. Every variant is on disk.
#[derive(Debug)]
pub enum Written {
    /// Stored now, as given (with the receipt it was finally given).
    Created(StoredResponse),
    /// The same submission was stored before: this is that response.
    Retry(StoredResponse),
    /// The submission id was stored before with different answers.
    Conflict,
    /// The submission was stored before and then erased: it stays erased.
    Erased,
}

// Nearly every job is a `Store`: boxing the response to shrink the rare `Health` job would
// cost an allocation per submission on the hot path for nothing.
#[allow(clippy::large_enum_variant)]
enum Job {
    Store {
        response: StoredResponse,
        reply: oneshot::Sender<Result<Written, StoreError>>,
    },
    /// Write and flush a small record: is the writer alive and the disk writable?
    Health {
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// The queue only closes when the writer's threads have ended, which they do not
/// do while a [`Writer`] exists unless something killed them.
fn stopped() -> StoreError {
    StoreError::Unavailable(
        "the collector's writer has stopped; restart the collector (its log says why)".into(),
    )
}

impl Writer {
    /// Starts the writer's threads. With `durable` off (benchmarks only), batches
    /// are answered without waiting for a flush.
    pub fn start(store: Arc<dyn Store>, durable: bool) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..store.batches_at_once().max(1) {
            let (store, queue) = (Arc::clone(&store), Arc::clone(&queue));
            std::thread::Builder::new()
                .name("voices-writer".into())
                .spawn(move || run(store.as_ref(), durable, &queue))
                .expect("the operating system can start a thread");
        }
        Writer { jobs }
    }

    /// Stores `response` unless its submission is already stored, and returns
    /// once the outcome is on disk.
    pub async fn write(&self, response: StoredResponse) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Store { response, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Has the writer store and flush a small record, in a batch taken after
    /// any responses queued before it: `Ok` when it can take a response now.
    pub async fn health(&self) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Health { reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Everything queued now (at least one job, at most [`MAX_BATCH`]), taken by one thread
/// at a time; `None` once the queue has closed. When that is already a busy batch
/// ([`BUSY_BATCH`]), what arrives within `gathering` ([`Store::gathering`]) joins it: the
/// store's cost per batch is then shared by more responses. A lone response never waits.
fn next_batch(queue: &Mutex<mpsc::Receiver<Job>>, gathering: Duration) -> Option<Vec<Job>> {
    // Nothing that holds this lock can panic, but a poisoned queue is still a queue.
    let mut queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    let mut jobs = vec![queue.blocking_recv()?];
    take_queued(&mut queue, &mut jobs);
    if !gathering.is_zero() && (BUSY_BATCH..MAX_BATCH).contains(&jobs.len()) {
        std::thread::sleep(gathering);
        take_queued(&mut queue, &mut jobs);
    }
    Some(jobs)
}

/// Adds what is queued now to `jobs`, up to [`MAX_BATCH`].
fn take_queued(queue: &mut mpsc::Receiver<Job>, jobs: &mut Vec<Job>) {
    while jobs.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => jobs.push(job),
            Err(_) => break,
        }
    }
}

fn run(store: &dyn Store, durable: bool, queue: &Mutex<mpsc::Receiver<Job>>) {
    let gathering = store.gathering();
    while let Some(jobs) = next_batch(queue, gathering) {
        let mut responses = Vec::new();
        let mut stores = Vec::new();
        let mut health_checks = Vec::new();
        for job in jobs {
            match job {
                Job::Store { response, reply } => {
                    responses.push(response);
                    stores.push(reply);
                }
                Job::Health { reply } => health_checks.push(reply),
            }
        }
        // The writer outlives anything that goes wrong inside the store: a
        // panic there fails this batch with 503 (nothing in it is
        // acknowledged) instead of ending the thread and every later submission.
        let (results, health) = catch_unwind(AssertUnwindSafe(|| {
            batch(store, durable, responses, !health_checks.is_empty())
        }))
        .unwrap_or_else(|panic| {
            let error = StoreError::Unavailable(format!(
                "the store failed unexpectedly ({})",
                panic_message(panic.as_ref())
            ));
            tracing::error!(%error, "the writer caught a panic; nothing in this batch was acknowledged");
            (
                stores.iter().map(|_| Err(error.clone())).collect(),
                Err(error),
            )
        });
        // The handler may have gone (the client hung up); the response is stored all the same.
        for (reply, result) in stores.into_iter().zip(results) {
            let _ = reply.send(result);
        }
        for reply in health_checks {
            let _ = reply.send(health.clone());
        }
    }
}

/// Stores a batch and flushes it; then, when asked, checks the store takes a write.
fn batch(
    store: &dyn Store,
    durable: bool,
    responses: Vec<StoredResponse>,
    check_health: bool,
) -> (Vec<Result<Written, StoreError>>, Result<(), StoreError>) {
    let refuse_all = |error: StoreError, count: usize| {
        ((0..count).map(|_| Err(error.clone())).collect(), Err(error))
    };
    // After a failed write the store refuses writes until it has recovered:
    // answer at once with why, rather than write into a store that cannot keep it.
    if let Err(error) = store.recover() {
        return refuse_all(error, responses.len());
    }
    let count = responses.len();
    let results = store_all(store, responses);
    // One flush for the batch, also when every job was a retry: the first
    // copy may have been stored by a batch whose flush failed.
    if durable
        && count > 0
        && let Err(error) = store.flush()
    {
        tracing::error!(%error, "flushing responses to disk failed");
        return refuse_all(error, count);
    }
    let health = if check_health {
        store.check_writable()
    } else {
        Ok(())
    };
    (results, health)
}

/// Stores a batch with [`Store::insert_responses`]; those whose receipt was taken are
/// given another and stored in a further call, until every response has its outcome.
fn store_all(
    store: &dyn Store,
    responses: Vec<StoredResponse>,
) -> Vec<Result<Written, StoreError>> {
    let mut results: Vec<Option<Result<Written, StoreError>>> =
        responses.iter().map(|_| None).collect();
    let mut round: Vec<(usize, StoredResponse)> = responses.into_iter().enumerate().collect();
    while !round.is_empty() {
        let (places, batch): (Vec<usize>, Vec<StoredResponse>) = round.into_iter().unzip();
        let outcomes = store.insert_responses(&batch);
        round = Vec::new();
        for ((place, mut response), outcome) in places.into_iter().zip(batch).zip(outcomes) {
            results[place] = Some(match outcome {
                Ok(InsertOutcome::Inserted) => Ok(Written::Created(response)),
                Ok(InsertOutcome::AlreadyStored(existing)) if existing.same_answers(&response) => {
                    Ok(Written::Retry(*existing))
                }
                Ok(InsertOutcome::AlreadyStored(_)) => Ok(Written::Conflict),
                Ok(InsertOutcome::Erased) => Ok(Written::Erased),
                Ok(InsertOutcome::ReceiptTaken) => {
                    response.receipt = Receipt::generate();
                    round.push((place, response));
                    continue;
                }
                Err(error) => Err(error),
            });
        }
    }
    results
        .into_iter()
        .map(|result| {
            // Only a store that answered for fewer responses than it was given leaves
            // one without an outcome: that one is not acknowledged.
            result.unwrap_or_else(|| {
                Err(StoreError::Unavailable(
                    "the store gave no outcome for this response".into(),
                ))
            })
        })
        .collect()
}

/// The text of a caught panic, for the log.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic")
}
