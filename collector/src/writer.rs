//! The single writer: stores responses in arrival order on one thread, with one flush per batch.
//!
//! Handlers hand their response to the writer and wait. The writer takes
//! everything that has queued up, stores each (one thread, so sled's write
//! path is never contended), flushes once for the whole batch, and only then
//! answers each handler. That is group commit: concurrent submissions share
//! one flush, and nothing is acknowledged before it is on disk.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::receipt::Receipt;
use crate::store::{InsertOutcome, Store, StoreError, StoredResponse};

/// Most responses stored under one flush; more wait for the next.
const MAX_BATCH: usize = 256;
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
}

struct Job {
    response: StoredResponse,
    reply: oneshot::Sender<Result<Written, StoreError>>,
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread. With `durable` off (benchmarks only), batches
    /// are answered without waiting for a flush.
    pub fn start(store: Arc<dyn Store>, durable: bool) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("voices-writer".into())
            .spawn(move || run(store.as_ref(), durable, queue))
            .expect("the operating system can start a thread");
        Writer { jobs }
    }

    /// Stores `response` unless its submission is already stored, and returns
    /// once the outcome is on disk.
    pub async fn write(&self, response: StoredResponse) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the collector is shutting down".into());
        self.jobs
            .send(Job { response, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn run(store: &dyn Store, durable: bool, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut results: Vec<Result<Written, StoreError>> = jobs
            .iter()
            .map(|job| store_one(store, job.response.clone()))
            .collect();
        // One flush for the batch, also when every job was a retry: the first
        // copy may have been stored by a batch whose flush failed.
        if durable && let Err(error) = store.flush() {
            tracing::error!(%error, "flushing responses to disk failed");
            let reason = error.to_string();
            results = jobs
                .iter()
                .map(|_| Err(StoreError::Unavailable(reason.clone())))
                .collect();
        }
        for (job, result) in jobs.into_iter().zip(results) {
            // The handler may have gone (the client hung up); the response is stored all the same.
            let _ = job.reply.send(result);
        }
    }
}

fn store_one(store: &dyn Store, mut response: StoredResponse) -> Result<Written, StoreError> {
    loop {
        match store.insert_response(&response)? {
            InsertOutcome::Inserted => return Ok(Written::Created(response)),
            InsertOutcome::AlreadyStored(existing) if existing.same_answers(&response) => {
                return Ok(Written::Retry(*existing));
            }
            InsertOutcome::AlreadyStored(_) => return Ok(Written::Conflict),
            InsertOutcome::ReceiptTaken => response.receipt = Receipt::generate(),
        }
    }
}
