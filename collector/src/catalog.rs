//! The published surveys and what came of them (their updates), parsed once and kept in
//! memory for every request.
//!
//! The store is the source of truth; the catalog mirrors it so that a
//! submission does not re-parse its survey's definition, nor a widget's request its
//! survey's updates.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

use voices_shared::Survey;
use voices_shared::outcomes::Outcomes;

use crate::store::{PublishOutcome, Store, StoreError, StoredSurvey, Subscribed, Subscription};

/// One published version of a survey.
#[derive(Debug)]
pub struct Published {
    pub survey: Survey,
    /// The canonical definition JSON served to widgets.
    pub json: String,
    /// A strong validator for the JSON above.
    pub etag: String,
}

impl Published {
    /// Served as published, but without the offer of updates by email when the collector
    /// has no relay to send them (`sends_mail` false): nobody is promised emails that
    /// cannot come.
    fn new(survey: Survey, sends_mail: bool) -> Published {
        let survey = if sends_mail {
            survey
        } else {
            survey.without_updates_by_email()
        };
        let json = survey.to_json();
        let etag = format!(
            "\"{}-v{}-{:016x}\"",
            survey.id(),
            survey.version(),
            fingerprint(json.as_bytes())
        );
        Published { survey, json, etag }
    }
}

/// FNV-1a: a stable fingerprint for ETags (not a security boundary).
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A survey's updates: all of them for staff, and what the public sees.
#[derive(Debug)]
pub struct Told {
    /// Every update, drafts included.
    pub outcomes: Outcomes,
    /// The published updates as served (`{"updates": [...]}`).
    pub public_json: String,
    /// A strong validator for the JSON above.
    pub etag: String,
    /// The document as the store holds it (none when it holds none): a change replaces
    /// exactly this, or finds it was changed meanwhile through another collector.
    stored: Option<String>,
}

impl Told {
    pub fn new(id: &str, outcomes: Outcomes) -> Told {
        let (public_json, etag) = crate::outcomes::public_view(id, &outcomes);
        Told {
            outcomes,
            public_json,
            etag,
            stored: None,
        }
    }

    /// Updates as read from or written to the store, as the document `stored`.
    fn as_stored(id: &str, outcomes: Outcomes, stored: String) -> Told {
        Told {
            stored: Some(stored),
            ..Told::new(id, outcomes)
        }
    }

    /// The ids of the published updates.
    pub fn published_ids(&self) -> Vec<String> {
        self.outcomes
            .updates()
            .iter()
            .filter(|u| u.is_published())
            .map(|u| u.id().to_owned())
            .collect()
    }
}

#[derive(Default)]
pub struct Catalog {
    surveys: RwLock<BTreeMap<String, BTreeMap<u32, Arc<Published>>>>,
    told: RwLock<BTreeMap<String, Arc<Told>>>,
    /// Held through every change of a survey's updates (read, change, store, serve) and
    /// every publish, which must still fit them: two admins saving at once do not lose
    /// one another's update, and no version is published past updates it does not fit.
    changing: Mutex<()>,
    /// The collector sends update emails (see [`Published::new`]).
    sends_mail: bool,
    /// The store's `catalog_mark` when the catalog last matched the store (see
    /// [`Catalog::refresh`]).
    seen: Mutex<Option<u64>>,
}

/// Why a survey's updates were not changed.
#[derive(Debug)]
pub enum ChangeRefused<E> {
    /// The change itself said no (its problems).
    Change(E),
    Store(StoreError),
}

impl<E> From<StoreError> for ChangeRefused<E> {
    fn from(error: StoreError) -> ChangeRefused<E> {
        ChangeRefused::Store(error)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("version {version} of survey \"{id}\" in the store no longer parses:\n{problems}")]
    Unreadable {
        id: String,
        version: u32,
        problems: String,
    },
}

impl Catalog {
    /// Loads every stored definition, for a collector that sends no email.
    pub fn load(store: &dyn Store) -> Result<Catalog, CatalogError> {
        Catalog::load_serving(store, false)
    }

    /// Loads every stored definition; `sends_mail`: the collector has a relay for update
    /// emails, so surveys that offer them do.
    pub fn load_serving(store: &dyn Store, sends_mail: bool) -> Result<Catalog, CatalogError> {
        let catalog = Catalog {
            sends_mail,
            ..Catalog::default()
        };
        for StoredSurvey {
            id,
            version,
            definition,
        } in store.surveys()?
        {
            let survey =
                Survey::parse(&definition).map_err(|problems| CatalogError::Unreadable {
                    id: id.clone(),
                    version,
                    problems: problems.to_string(),
                })?;
            catalog.add(survey);
        }
        for (id, json) in store.all_outcomes()? {
            let Some(published) = catalog.latest(&id) else {
                continue;
            };
            // Publishing refuses a version its survey's updates do not fit, so this is a
            // store changed by hand or by another program: the survey is served without
            // its updates, and staff see why in the log, rather than no survey at all.
            match Outcomes::parse(&json, &published.survey) {
                Ok(outcomes) => {
                    catalog.remember(&id, outcomes, json);
                }
                Err(problems) => tracing::error!(
                    survey = %id,
                    "the stored updates no longer fit the survey's newest version and are not shown; write them again (PUT /api/admin/surveys/{id}/outcomes): {problems}"
                ),
            }
        }
        Ok(catalog)
    }

    /// Brings the catalog up to date with what other collectors on the same store
    /// published or changed (nothing to do on a store only this collector writes).
    /// Blocking: reads the store.
    pub fn refresh(&self, store: &dyn Store) -> Result<(), StoreError> {
        let _one_at_a_time = self.lock_changes();
        self.refresh_locked(store)
    }

    /// [`Catalog::refresh`], for a caller already holding `lock_changes`: a change begins
    /// from what the store holds now, not from what this collector last saw, so a
    /// colleague's update saved through another collector is not written over.
    fn refresh_locked(&self, store: &dyn Store) -> Result<(), StoreError> {
        // Read before the data: a change made while reading moves it again, and the next
        // refresh reads once more.
        let Some(mark) = store.catalog_mark()? else {
            return Ok(());
        };
        if *self.lock_seen() == Some(mark) {
            return Ok(());
        }
        for StoredSurvey {
            id,
            version,
            definition,
        } in store.surveys()?
        {
            if self.version(&id, version).is_some() {
                continue;
            }
            match Survey::parse(&definition) {
                Ok(survey) => {
                    tracing::info!(survey = %id, version, "serving a version published by another collector");
                    self.add(survey);
                }
                Err(problems) => tracing::error!(
                    survey = %id, version,
                    "a version published by another collector does not parse here, and is not served (is that collector newer?): {problems}"
                ),
            }
        }
        for (id, json) in store.all_outcomes()? {
            let Some(published) = self.latest(&id) else {
                continue;
            };
            let current = self.told_if_any(&id);
            if current.is_some_and(|told| told.stored.as_deref() == Some(json.as_str())) {
                continue;
            }
            match Outcomes::parse(&json, &published.survey) {
                Ok(outcomes) => {
                    self.remember(&id, outcomes, json);
                }
                Err(problems) => tracing::error!(
                    survey = %id,
                    "updates saved by another collector do not fit the survey's newest version here, and are not shown: {problems}"
                ),
            }
        }
        *self.lock_seen() = Some(mark);
        Ok(())
    }

    fn lock_seen(&self) -> MutexGuard<'_, Option<u64>> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn remember(&self, id: &str, outcomes: Outcomes, stored: String) -> Arc<Told> {
        self.keep(id, Told::as_stored(id, outcomes, stored))
    }

    /// A survey's updates read again from the store, after a change found them changed
    /// through another collector.
    fn reread_updates(&self, store: &dyn Store, id: &str) -> Result<(), StoreError> {
        let Some(json) = store.outcomes(id)? else {
            self.told
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .remove(id);
            return Ok(());
        };
        let Some(published) = self.latest(id) else {
            return Ok(());
        };
        let outcomes = Outcomes::parse(&json, &published.survey).map_err(|problems| {
            StoreError::Corrupt(format!(
                "the updates of survey {id} saved by another collector do not fit its newest version here: {problems}"
            ))
        })?;
        self.remember(id, outcomes, json);
        Ok(())
    }

    fn keep(&self, id: &str, told: Told) -> Arc<Told> {
        let told = Arc::new(told);
        self.told
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id.to_owned(), Arc::clone(&told));
        told
    }

    /// A survey's updates (none yet, for a survey without any).
    pub fn told(&self, id: &str) -> Arc<Told> {
        self.told_if_any(id)
            .unwrap_or_else(|| Arc::new(Told::new(id, Outcomes::default())))
    }

    /// A survey's updates, if it was ever given any: without building an empty list (and
    /// its JSON) on every view of a survey that has none.
    pub fn told_if_any(&self, id: &str) -> Option<Arc<Told>> {
        self.told
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(id)
            .cloned()
    }

    fn lock_changes(&self) -> MutexGuard<'_, ()> {
        self.changing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes a survey's updates: `change` gets them as they are now and gives them as
    /// they are to be (or refuses); they are stored durably, then served. Blocking: the
    /// store writes and flushes.
    pub fn change_updates<E>(
        &self,
        store: &dyn Store,
        id: &str,
        mut change: impl FnMut(&Outcomes) -> Result<Outcomes, E>,
    ) -> Result<Arc<Told>, ChangeRefused<E>> {
        let _one_at_a_time = self.lock_changes();
        self.refresh_locked(store)?;
        // The lock above is this collector's; another on the same store may save the same
        // survey's updates at the same moment. The store replaces only the document the
        // change began from, so neither is lost: the later one begins again from the
        // other's.
        let mut attempts = 0;
        let (before, told) = loop {
            attempts += 1;
            let before = self.told(id);
            let outcomes = change(&before.outcomes).map_err(ChangeRefused::Change)?;
            let json = serde_json::to_string(&outcomes).map_err(|e| {
                StoreError::Corrupt(format!("the updates could not be written: {e}"))
            })?;
            if store.replace_outcomes(id, before.stored.as_deref(), &json)? {
                break (before, Told::as_stored(id, outcomes, json));
            }
            if attempts == CHANGE_ATTEMPTS {
                return Err(StoreError::Unavailable(format!(
                    "the updates of survey {id} kept changing through other collectors while this change was saved; try again"
                ))
                .into());
            }
            self.reread_updates(store, id)?;
        };
        // Emails of updates taken back that have not gone yet stay unsent; each newly
        // published update is queued for everyone who asked for them by email.
        let deleted: Vec<String> = before
            .outcomes
            .updates()
            .iter()
            .map(|u| u.id().to_owned())
            .filter(|u| told.outcomes.update(u).is_none())
            .collect();
        let published = told.published_ids();
        let unpublished: Vec<String> = before
            .published_ids()
            .into_iter()
            .filter(|u| !deleted.contains(u) && !published.contains(u))
            .collect();
        store.take_back_updates(id, &deleted, &unpublished)?;
        store.queue_updates(id, &published, time::OffsetDateTime::now_utc())?;
        store.flush()?;
        Ok(self.keep(id, told))
    }

    /// Keeps a person's request for a survey's updates by email. Under the same lock as a
    /// change of updates, so an update published meanwhile is either one they are told
    /// of (it is queued for them) or one already published when they asked (they have
    /// seen it), never neither. Blocking: the store writes and flushes.
    pub fn subscribe(
        &self,
        store: &dyn Store,
        mut subscription: Subscription,
    ) -> Result<Subscribed, StoreError> {
        let _one_at_a_time = self.lock_changes();
        self.refresh_locked(store)?;
        let told = self.told(&subscription.survey_id);
        if told.outcomes.what_we_did().is_some() {
            return Ok(Subscribed::Ended);
        }
        subscription.told = told.published_ids();
        let outcome = store.subscribe(&subscription)?;
        store.flush()?;
        Ok(outcome)
    }

    /// The surveys, for reading. A panic elsewhere while holding the lock
    /// leaves the map as it was (every change is one insert), so a poisoned
    /// lock is still safe to read.
    fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, BTreeMap<u32, Arc<Published>>>> {
        self.surveys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn add(&self, survey: Survey) {
        let published = Arc::new(Published::new(survey, self.sends_mail));
        let mut surveys = self
            .surveys
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        surveys
            .entry(published.survey.id().to_owned())
            .or_default()
            .insert(published.survey.version(), published);
    }

    /// Stores the definition durably, then makes it available. A version newer than the
    /// survey's newest must still fit the survey's updates (a language an update is
    /// written in, dropped, say): they are read against the newest version.
    pub fn publish(&self, store: &dyn Store, survey: Survey) -> Result<PublishOutcome, StoreError> {
        let _one_at_a_time = self.lock_changes();
        self.refresh_locked(store)?;
        let newest = self.latest(survey.id());
        if newest.is_none_or(|p| p.survey.version() < survey.version()) {
            let told = self.told(survey.id());
            if !told.outcomes.updates().is_empty() {
                let written = serde_json::to_value(&told.outcomes).map_err(|e| {
                    StoreError::Corrupt(format!("the updates could not be read: {e}"))
                })?;
                if let Err(problems) = Outcomes::from_value(&written, &survey) {
                    return Err(StoreError::UpdatesDoNotFit {
                        id: survey.id().to_owned(),
                        version: survey.version(),
                        problems: problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    });
                }
            }
        }
        let json = survey.to_json();
        let outcome = store.publish(survey.id(), survey.version(), &json)?;
        store.flush()?;
        self.add(survey);
        Ok(outcome)
    }

    /// The newest version of a survey.
    pub fn latest(&self, id: &str) -> Option<Arc<Published>> {
        let surveys = self.read();
        surveys.get(id)?.values().next_back().cloned()
    }

    pub fn version(&self, id: &str, version: u32) -> Option<Arc<Published>> {
        let surveys = self.read();
        surveys.get(id)?.get(&version).cloned()
    }

    /// Every version of one survey, oldest first; empty when there is no such survey.
    pub fn versions(&self, id: &str) -> Vec<Arc<Published>> {
        let surveys = self.read();
        surveys
            .get(id)
            .map(|versions| versions.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The newest version of every survey, by id.
    pub fn newest_of_each(&self) -> Vec<Arc<Published>> {
        let surveys = self.read();
        surveys
            .values()
            .filter_map(|versions| versions.values().next_back().cloned())
            .collect()
    }

    /// Every version of every survey, by id then version.
    pub fn all(&self) -> Vec<Arc<Published>> {
        let surveys = self.read();
        surveys
            .values()
            .flat_map(|versions| versions.values().cloned())
            .collect()
    }
}

/// How many times a change of updates begins again when other collectors keep changing them.
const CHANGE_ATTEMPTS: u32 = 5;

/// How often a collector on a shared store looks for surveys and updates published through
/// another one.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps the catalog up to date with the other collectors on a shared store, for as long as
/// the collector serves; returns at once on a store only this collector writes.
pub async fn follow(state: crate::AppState) {
    // Only sled says None; a database that cannot be read just now is followed all the
    // same, from the first tick it can be.
    let shared = state.with_store(|store| Ok(store.catalog_mark()?)).await;
    if matches!(shared, Ok(None)) {
        return;
    }
    let mut ticks = tokio::time::interval(FOLLOW_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let following = state.clone();
        let refreshed = state
            .with_store(move |store| Ok(following.catalog().refresh(store.as_ref())?))
            .await;
        if let Err(error) = refreshed {
            tracing::warn!(%error, "cannot look for surveys published by other collectors; trying again soon");
        }
    }
}
