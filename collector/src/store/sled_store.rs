//! The sled-backed [`Store`]: the only module that names sled.
//!
//! Trees: `surveys` (id 0 version → definition), `responses` (survey 0 seq →
//! response JSON), `submissions` (survey 0 submission id → response key) and
//! `receipts` (receipt → response key). A response and its two index entries
//! are written in one transaction.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use uuid::Uuid;

use super::{InsertOutcome, PublishOutcome, Store, StoreError, StoredResponse, StoredSurvey};

pub struct SledStore {
    db: sled::Db,
    surveys: sled::Tree,
    responses: sled::Tree,
    submissions: sled::Tree,
    receipts: sled::Tree,
    health: sled::Tree,
    /// Held for the life of the store: a second collector on the same
    /// directory is refused with a clear message instead of corrupting it.
    _lock: File,
}

fn unavailable(error: sled::Error) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

fn prefixed(prefix: &str) -> Vec<u8> {
    let mut key = prefix.as_bytes().to_vec();
    key.push(0);
    key
}

fn survey_key(id: &str, version: u32) -> Vec<u8> {
    let mut key = prefixed(id);
    key.extend_from_slice(&version.to_be_bytes());
    key
}

fn submission_key(survey_id: &str, submission_id: Uuid) -> Vec<u8> {
    let mut key = prefixed(survey_id);
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
            .open()
            .map_err(|e| open_error(e.to_string()))?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| open_error(e.to_string()));
        Ok(SledStore {
            surveys: tree("surveys")?,
            responses: tree("responses")?,
            submissions: tree("submissions")?,
            receipts: tree("receipts")?,
            health: tree("health")?,
            db,
            _lock: lock,
        })
    }

    fn decode(bytes: &[u8]) -> Result<StoredResponse, StoreError> {
        serde_json::from_slice(bytes)
            .map_err(|e| StoreError::Corrupt(format!("a stored response: {e}")))
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
        let sequence = self.db.generate_id().map_err(unavailable)?;
        let mut response_key = prefixed(&response.survey_id);
        response_key.extend_from_slice(&sequence.to_be_bytes());
        let index_key = submission_key(&response.survey_id, response.submission_id);
        let body = serde_json::to_vec(response).map_err(|e| StoreError::Corrupt(e.to_string()))?;

        let outcome = (&self.responses, &self.submissions, &self.receipts).transaction(
            |(responses, submissions, receipts)| {
                if let Some(existing_key) = submissions.get(&index_key)? {
                    let existing = responses.get(&existing_key)?.ok_or_else(|| {
                        ConflictableTransactionError::Abort(StoreError::Corrupt(
                            "a submission points at a missing response".into(),
                        ))
                    })?;
                    let existing = SledStore::decode(&existing)
                        .map_err(ConflictableTransactionError::Abort)?;
                    return Ok(InsertOutcome::AlreadyStored(Box::new(existing)));
                }
                if receipts.get(response.receipt.as_str())?.is_some() {
                    return Ok(InsertOutcome::ReceiptTaken);
                }
                responses.insert(response_key.as_slice(), body.as_slice())?;
                submissions.insert(index_key.as_slice(), response_key.as_slice())?;
                receipts.insert(response.receipt.as_str(), response_key.as_slice())?;
                Ok(InsertOutcome::Inserted)
            },
        );
        outcome.map_err(|error| match error {
            TransactionError::Abort(error) => error,
            TransactionError::Storage(error) => unavailable(error),
        })
    }

    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        Box::new(
            self.responses
                .scan_prefix(prefixed(survey_id))
                .map(|entry| {
                    let (_, value) = entry.map_err(unavailable)?;
                    SledStore::decode(&value)
                }),
        )
    }

    fn response_count(&self, survey_id: &str) -> Result<u64, StoreError> {
        let mut count = 0;
        for entry in self.responses.scan_prefix(prefixed(survey_id)).keys() {
            entry.map_err(unavailable)?;
            count += 1;
        }
        Ok(count)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(unavailable)
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        self.health
            .insert("last_check", &now.to_be_bytes()[..])
            .map_err(unavailable)?;
        self.flush()
    }
}
