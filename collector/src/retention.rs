//! Retention: erases responses (and addresses kept for update emails) older than their survey's `retention_days`,
//! at start-up and then daily, and says what it removed in the log and the audit log.

use std::time::Duration;

use time::OffsetDateTime;

use crate::AppState;
use crate::catalog::Catalog;
use crate::staff::actions::record;
use crate::store::{AuditEvent, Store, StoreError};

/// How often the purge runs while serving.
pub const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// What one purge removed from one survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    pub survey: String,
    pub retention_days: u32,
    pub rows: u64,
}

/// Erases, for every survey whose newest version sets `retention_days`, the
/// responses (to any version) submitted more than that many days before `now`.
pub fn purge_expired(
    catalog: &Catalog,
    store: &dyn Store,
    now: OffsetDateTime,
) -> Result<Vec<Purged>, StoreError> {
    let mut purged = Vec::new();
    for latest in catalog.newest_of_each() {
        let id = latest.survey.id().to_owned();
        let Some(days) = latest.survey.retention_days() else {
            continue;
        };
        let cutoff = now - time::Duration::days(i64::from(days));
        // Addresses kept for the survey's updates by email go on the same terms.
        let addresses = store.purge_subscriptions_before(&id, cutoff.date())?;
        if addresses > 0 {
            tracing::info!(survey = %id, addresses, retention_days = days, "deleted email addresses past their retention period");
        }
        let mut rows = 0;
        // Chunk by chunk, so that what was erased is recorded even if a
        // later chunk fails (the disk filled up halfway, say).
        let finished = loop {
            match store.purge_chunk_before(&id, cutoff) {
                Ok(Some(erased)) => rows += erased,
                Ok(None) => break Ok(()),
                Err(error) => break Err(error),
            }
        };
        if rows > 0 {
            tracing::info!(survey = %id, rows, retention_days = days, "erased responses past their retention period");
            record(
                store,
                "collector",
                AuditEvent::Purged {
                    survey: id.clone(),
                    rows,
                    retention_days: days,
                },
            )?;
            purged.push(Purged {
                survey: id,
                retention_days: days,
                rows,
            });
        }
        finished?;
    }
    Ok(purged)
}

/// How long one collector holds the retention lease: a little under a day, so the purge
/// runs once a day for the whole store, on whichever collector claims it first.
const LEASE: Duration = Duration::from_secs(23 * 60 * 60);

/// [`purge_expired`], unless another collector on the same store purged within the last
/// day (`None`). Several collectors on one database then purge once, and the audit log
/// records one purge with its full counts rather than one partial count per collector.
pub fn purge_once(
    catalog: &Catalog,
    store: &dyn Store,
    now: OffsetDateTime,
) -> Result<Option<Vec<Purged>>, StoreError> {
    if !store.claim_lease("retention", crate::this_collector(), LEASE)? {
        tracing::info!(
            "another collector on this store ran the retention purge within the last day"
        );
        return Ok(None);
    }
    purge_expired(catalog, store, now).map(Some)
}

/// Runs the purge every [`EVERY`] for as long as the collector serves.
pub async fn run_daily(state: AppState) {
    let mut ticks = tokio::time::interval(EVERY);
    // The first tick is immediate; start-up has just purged.
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let purging = state.clone();
        let result = tokio::task::spawn_blocking(move || {
            purge_once(
                purging.catalog(),
                purging.store().as_ref(),
                OffsetDateTime::now_utc(),
            )
        })
        .await;
        let purged = match result {
            Ok(Ok(Some(purged))) => Some(purged),
            // Purged by another collector: their erasures move the survey's erasure mark,
            // which the counts here follow.
            Ok(Ok(None)) => Some(Vec::new()),
            Ok(Err(error)) => {
                tracing::warn!(%error, "the daily retention purge failed; it will run again tomorrow");
                None
            }
            Err(error) => {
                tracing::warn!(%error, "the daily retention purge stopped");
                None
            }
        };
        // The counts of what was purged are counted again from what is left when next
        // shown. A purge that stopped halfway may have erased from any survey with a
        // retention period: all of those are.
        match purged {
            Some(purged) => {
                for survey in purged {
                    state.counts().forget(&survey.survey);
                }
            }
            None => {
                for latest in state.catalog().newest_of_each() {
                    if latest.survey.retention_days().is_some() {
                        state.counts().forget(latest.survey.id());
                    }
                }
            }
        }
    }
}
