//! The sled-backed [`Store`]: the only module that names sled.
//!
//! Trees: `surveys` (id 0 version → definition) and `responses`, which holds
//! three kinds of key so that a response and its two index entries can be
//! written in one atomic batch (sled's multi-tree transactions cost more
//! than the rest of a submission put together):
//!
//! - `r` survey 0 sequence → the response's JSON;
//! - `s` survey 0 submission id → the response's key (one response per submission);
//! - `c` receipt → the response's key.
//!
//! `staff` holds users (`u` name) and tokens (`t` name) as JSON; `audit` holds
//! the audit log under sled's monotonic ids, so it reads back in order.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use std::sync::Mutex;

use uuid::Uuid;

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use super::{
    AuditEntry, InsertOutcome, PublishOutcome, StaffToken, StaffUser, Store, StoreError,
    StoredResponse, StoredSurvey,
};

pub struct SledStore {
    db: sled::Db,
    surveys: sled::Tree,
    responses: sled::Tree,
    health: sled::Tree,
    staff: sled::Tree,
    audit: sled::Tree,
    /// sled's file, opened again so that a flush can end with a real fsync:
    /// `Db::flush` only calls `sync_file_range`, which leaves the drive's
    /// cache and the file's metadata unsynced (sled issue #1452).
    file: File,
    /// Serialises "is this submission stored? if not, store it": one
    /// process owns the directory (see `_lock`), so this makes it atomic.
    inserting: Mutex<()>,
    /// Held for the life of the store: a second collector on the same
    /// directory is refused with a clear message instead of corrupting it.
    _lock: File,
}

/// sled's page cache.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

fn unavailable(error: sled::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
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

fn receipt_key(receipt: &str) -> Vec<u8> {
    let mut key = vec![b'c'];
    key.extend_from_slice(receipt.as_bytes());
    key
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
        let db = sled::Config::new()
            .path(data_dir.join("store"))
            // sled's default page cache is 1 GiB, and a full export fills it: keep
            // a small server's memory small; reads cost little more (measured in
            // BENCHMARKS.md, export section).
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| open_error(e.to_string()))?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| open_error(e.to_string()));
        let db_file = data_dir.join("store").join("db");
        let file = File::open(&db_file)
            .map_err(|e| open_error(format!("cannot open {}: {e}", db_file.display())))?;
        Ok(SledStore {
            surveys: tree("surveys")?,
            responses: tree("responses")?,
            health: tree("health")?,
            staff: tree("staff")?,
            audit: tree("audit")?,
            db,
            file,
            inserting: Mutex::new(()),
            _lock: lock,
        })
    }

    fn decode(bytes: &[u8]) -> Result<StoredResponse, StoreError> {
        decode_record(bytes, "a stored response")
    }

    /// Adds to `batch` the removal of a response and both of its index entries.
    fn remove_response(batch: &mut sled::Batch, key: &[u8], response: &StoredResponse) {
        batch.remove(key);
        batch.remove(submission_key(&response.survey_id, response.submission_id));
        batch.remove(receipt_key(response.receipt.as_str()));
    }

    fn staff_records<T: DeserializeOwned>(
        &self,
        kind: u8,
        what: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.staff
            .scan_prefix([kind])
            .values()
            .map(|value| decode_record(&value.map_err(unavailable)?, what))
            .collect()
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
            .surveys
            .compare_and_swap(&key, None as Option<&[u8]>, Some(definition.as_bytes()))
            .map_err(unavailable)?;
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
        self.surveys
            .iter()
            .map(|entry| {
                let (key, value) = entry.map_err(unavailable)?;
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
        let index_key = submission_key(&response.survey_id, response.submission_id);
        let receipt = receipt_key(response.receipt.as_str());
        let body = serde_json::to_vec(response).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let _only_writer = self
            .inserting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(existing_key) = self.responses.get(&index_key).map_err(unavailable)? {
            let existing = self
                .responses
                .get(&existing_key)
                .map_err(unavailable)?
                .ok_or_else(|| {
                    StoreError::Corrupt("a submission points at a missing response".into())
                })?;
            return Ok(InsertOutcome::AlreadyStored(Box::new(SledStore::decode(
                &existing,
            )?)));
        }
        if self.responses.contains_key(&receipt).map_err(unavailable)? {
            return Ok(InsertOutcome::ReceiptTaken);
        }
        let sequence = self.db.generate_id().map_err(unavailable)?;
        let mut response_key = response_prefix(b'r', &response.survey_id);
        response_key.extend_from_slice(&sequence.to_be_bytes());
        // One batch: after a crash, either all three keys are there or none.
        let mut batch = sled::Batch::default();
        batch.insert(response_key.as_slice(), body);
        batch.insert(index_key, response_key.as_slice());
        batch.insert(receipt, response_key.as_slice());
        self.responses.apply_batch(batch).map_err(unavailable)?;
        Ok(InsertOutcome::Inserted)
    }

    fn find_submission(
        &self,
        survey_id: &str,
        submission_id: Uuid,
    ) -> Result<Option<StoredResponse>, StoreError> {
        let Some(key) = self
            .responses
            .get(submission_key(survey_id, submission_id))
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let body = self
            .responses
            .get(&key)
            .map_err(unavailable)?
            .ok_or_else(|| {
                StoreError::Corrupt("a submission points at a missing response".into())
            })?;
        SledStore::decode(&body).map(Some)
    }

    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        Box::new(
            self.responses
                .scan_prefix(response_prefix(b'r', survey_id))
                .map(|entry| {
                    let (_, value) = entry.map_err(unavailable)?;
                    SledStore::decode(&value)
                }),
        )
    }

    fn response_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        let mut count = 0;
        for entry in self
            .responses
            .scan_prefix(response_prefix(b'r', survey_id))
            .keys()
        {
            entry.map_err(unavailable)?;
            count += 1;
        }
        Ok(count)
    }

    fn find_receipt(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        let Some(key) = self
            .responses
            .get(receipt_key(receipt))
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let body = self
            .responses
            .get(&key)
            .map_err(unavailable)?
            .ok_or_else(|| StoreError::Corrupt("a receipt points at a missing response".into()))?;
        SledStore::decode(&body).map(Some)
    }

    fn erase_response(&self, receipt: &str) -> Result<Option<StoredResponse>, StoreError> {
        // Under the insert lock: a retry arriving now either finds the response
        // (and is told it is stored) or finds nothing and stores it anew.
        let _only_writer = self
            .inserting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(key) = self
            .responses
            .get(receipt_key(receipt))
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let Some(body) = self.responses.get(&key).map_err(unavailable)? else {
            // A dangling receipt: remove it so it stops pointing nowhere.
            self.responses
                .remove(receipt_key(receipt))
                .map_err(unavailable)?;
            return Ok(None);
        };
        let response = SledStore::decode(&body)?;
        let mut batch = sled::Batch::default();
        SledStore::remove_response(&mut batch, &key, &response);
        self.responses.apply_batch(batch).map_err(unavailable)?;
        Ok(Some(response))
    }

    fn purge_before(&self, survey_id: &str, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        let _only_writer = self
            .inserting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut batch = sled::Batch::default();
        let mut removed = 0;
        for entry in self.responses.scan_prefix(response_prefix(b'r', survey_id)) {
            let (key, value) = entry.map_err(unavailable)?;
            let response = SledStore::decode(&value)?;
            if response.submitted_at < cutoff {
                SledStore::remove_response(&mut batch, &key, &response);
                removed += 1;
                // Bounded batches keep memory flat on a survey with a million responses.
                if removed % 10_000 == 0 {
                    self.responses
                        .apply_batch(std::mem::take(&mut batch))
                        .map_err(unavailable)?;
                }
            }
        }
        self.responses.apply_batch(batch).map_err(unavailable)?;
        Ok(removed)
    }

    fn put_user(&self, user: &StaffUser) -> Result<(), StoreError> {
        self.staff
            .insert(staff_key(b'u', &user.name), encode(user)?)
            .map_err(unavailable)?;
        Ok(())
    }

    fn user(&self, name: &str) -> Result<Option<StaffUser>, StoreError> {
        self.staff
            .get(staff_key(b'u', name))
            .map_err(unavailable)?
            .map(|bytes| decode_record(&bytes, "a staff user"))
            .transpose()
    }

    fn users(&self) -> Result<Vec<StaffUser>, StoreError> {
        self.staff_records(b'u', "a staff user")
    }

    fn remove_user(&self, name: &str) -> Result<bool, StoreError> {
        let removed = self
            .staff
            .remove(staff_key(b'u', name))
            .map_err(unavailable)?;
        Ok(removed.is_some())
    }

    fn put_token(&self, token: &StaffToken) -> Result<(), StoreError> {
        self.staff
            .insert(staff_key(b't', &token.name), encode(token)?)
            .map_err(unavailable)?;
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<StaffToken>, StoreError> {
        self.staff_records(b't', "a token")
    }

    fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        let removed = self
            .staff
            .remove(staff_key(b't', name))
            .map_err(unavailable)?;
        Ok(removed.is_some())
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let id = self.db.generate_id().map_err(unavailable)?;
        self.audit
            .insert(id.to_be_bytes(), encode(entry)?)
            .map_err(unavailable)?;
        Ok(())
    }

    fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit
            .iter()
            .values()
            .rev()
            .take(limit)
            .map(|value| decode_record(&value.map_err(unavailable)?, "an audit entry"))
            .collect()
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(unavailable)?;
        self.file
            .sync_all()
            .map_err(|e| StoreError::Unavailable(format!("cannot sync the store to disk: {e}")))
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        self.health
            .insert("last_check", &now.to_be_bytes()[..])
            .map_err(unavailable)?;
        self.flush()
    }
}
