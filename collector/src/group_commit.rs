//! Group commit: concurrent writers share one flush instead of paying one fsync each.
//!
//! A writer makes its change in the store, then takes a ticket and waits. The
//! flusher reads the newest ticket, flushes once, and releases every ticket up
//! to it. Tickets are taken only after the write, so a flush that starts after
//! a ticket was taken covers that write: nothing is acknowledged before it is
//! on disk.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{Notify, watch};

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Default)]
struct Flushed {
    /// Every ticket up to this one is durable.
    done: u64,
    /// Every ticket up to this one (and above `done`) failed to flush.
    failed: u64,
    error: Option<Arc<str>>,
}

pub struct GroupCommit {
    store: Arc<dyn Store>,
    tickets: AtomicU64,
    wake: Notify,
    flushed: watch::Sender<Flushed>,
    durable: bool,
}

impl GroupCommit {
    /// Starts the flusher on the current tokio runtime. With `durable` off
    /// (benchmarks only), writers do not wait for a flush.
    pub fn start(store: Arc<dyn Store>, durable: bool) -> Arc<GroupCommit> {
        let commit = Arc::new(GroupCommit {
            store,
            tickets: AtomicU64::new(0),
            wake: Notify::new(),
            flushed: watch::Sender::new(Flushed::default()),
            durable,
        });
        if durable {
            tokio::spawn(Arc::clone(&commit).run());
        }
        commit
    }

    /// Waits until every write this task made before calling is on disk.
    pub async fn wait_durable(&self) -> Result<(), StoreError> {
        if !self.durable {
            return Ok(());
        }
        let ticket = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let mut flushed = self.flushed.subscribe();
        self.wake.notify_one();
        loop {
            {
                let state = flushed.borrow_and_update();
                if state.done >= ticket {
                    return Ok(());
                }
                if state.failed >= ticket {
                    let reason = state.error.as_deref().unwrap_or("the flush failed");
                    return Err(StoreError::Unavailable(reason.to_owned()));
                }
            }
            if flushed.changed().await.is_err() {
                return Err(StoreError::Unavailable(
                    "the collector is shutting down".into(),
                ));
            }
        }
    }

    async fn run(self: Arc<Self>) {
        loop {
            self.wake.notified().await;
            let target = self.tickets.load(Ordering::SeqCst);
            if target <= self.flushed.borrow().done.max(self.flushed.borrow().failed) {
                continue;
            }
            let store = Arc::clone(&self.store);
            let result = tokio::task::spawn_blocking(move || store.flush()).await;
            let result = match result {
                Ok(result) => result,
                Err(join_error) => Err(StoreError::Unavailable(format!(
                    "the flush stopped: {join_error}"
                ))),
            };
            match result {
                Ok(()) => self.flushed.send_modify(|state| state.done = target),
                Err(error) => {
                    tracing::error!(%error, "flushing responses to disk failed");
                    self.flushed.send_modify(|state| {
                        state.failed = target;
                        state.error = Some(error.to_string().into());
                    });
                }
            }
        }
    }
}
