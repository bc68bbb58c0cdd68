//! Brings a data directory written by an earlier collector up to this one's layout,
//! once, as it opens; each step safe to cut short by a crash and run again.
//!
//! The formats (the responses tree's keys; see the parent module's docs for 4):
//! 1. `r` survey 0 sequence → response, `s` submission → its key, `c` receipt → its key;
//!    no counts, time index or token index;
//! 2. as 1, with the time index (`t` survey 0 time sequence), the counts (`n`) and the
//!    token index (`staff`'s `h`);
//! 3. as 2, with `meta`'s receipt secret, and `s` entries only for responses not found
//!    by their derived receipt;
//! 4. responses keyed by position (`p` survey 0 position), which is time-ordered, so
//!    the time index is gone; each survey's lag (`l`); the receipts in buckets (`b`).

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::time::Instant;

use super::receipts::{Place, ReceiptIndex};
use super::{
    FORMAT, Handles, Positions, RECEIPT_SECRET, StaffToken, StoredResponse, new_secret,
    response_key, response_prefix, sortable_time, submission_key, tally_key_of, token_hash_key,
};

#[derive(Debug, thiserror::Error)]
pub(super) enum UpgradeError {
    #[error(transparent)]
    Sled(#[from] sled::Error),
    #[error(
        "this data directory was written by a newer collector (store format {0}; this one knows up to {FORMAT}); run the newer collector, or restore a backup made before it ran"
    )]
    Newer(u32),
}

/// Responses moved to their positions in one sled batch: a few milliseconds of work,
/// and what a crash can cut short (the move then goes on from where it was).
const MOVE_CHUNK: usize = 1_000;

/// Brings `h` up to [`FORMAT`]. The counts and token index of format 1 are built
/// first, and written over whatever a cut-short run left; then the format (and, from
/// 1 or 2, the receipt secret) is written and flushed before any response moves, so a
/// collector that knows only an older format refuses a half-moved directory instead of
/// missing what moved; the move itself runs while any response is left at a sequence key.
/// A store written by a newer collector is refused, not guessed at.
pub(super) fn upgrade(h: &Handles) -> Result<(), UpgradeError> {
    mark_format(h)?;
    move_to_positions(h, MOVE_CHUNK, usize::MAX)?;
    Ok(())
}

/// The first part of [`upgrade`]: all of it but the move.
fn mark_format(h: &Handles) -> Result<(), UpgradeError> {
    let format = h
        .meta
        .get("format")?
        .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
        .map_or(1, u32::from_be_bytes);
    if format > FORMAT {
        return Err(UpgradeError::Newer(format));
    }
    if format == 1 {
        build_counts_and_token_index(h)?;
    }
    if format < 3 {
        h.meta.insert(RECEIPT_SECRET, new_secret().as_slice())?;
    }
    if format < FORMAT {
        h.meta.insert("format", &FORMAT.to_be_bytes()[..])?;
        h.db.flush()?;
    }
    Ok(())
}

/// Format 1 to 2: the counts, summed in memory (a few per survey and day), and the
/// token index. (Format 2's time index is not built: the move makes it needless.)
fn build_counts_and_token_index(h: &Handles) -> Result<(), sled::Error> {
    let mut counts: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for entry in h.responses.scan_prefix([b'r']) {
        let (_, value) = entry?;
        // One that cannot be read is left out, and said when it is moved.
        if let Ok(response) = serde_json::from_slice::<StoredResponse>(&value) {
            *counts.entry(tally_key_of(&response)).or_default() += 1;
        }
    }
    let mut batch = sled::Batch::default();
    for (key, count) in counts {
        batch.insert(key, &count.to_be_bytes()[..]);
    }
    h.responses.apply_batch(batch)?;
    let mut tokens = sled::Batch::default();
    for entry in h.staff.scan_prefix([b't']) {
        let (key, value) = entry?;
        if let Ok(token) = serde_json::from_slice::<StaffToken>(&value) {
            tokens.insert(token_hash_key(&token.token_hash), &key[1..]);
        }
    }
    h.staff.apply_batch(tokens)
}

/// Formats 1 to 3 to 4: every response from `r` survey 0 sequence to `p` survey 0
/// position, survey by survey in the order stored (which the positions keep), its
/// receipt moved from its own key to its bucket, its submission's entry pointed at the
/// new key and its time index entry removed, in chunks that are each one batch. A run cut short leaves each response at
/// one key or the other, never both, and the next goes on from each survey's last
/// position.
fn move_to_positions(h: &Handles, chunk: usize, most_chunks: usize) -> Result<(), sled::Error> {
    let started = Instant::now();
    let mut positions: HashMap<Vec<u8>, Positions> = HashMap::new();
    let (mut moved, mut unreadable) = (0u64, 0u64);
    let mut after: Option<sled::IVec> = None;
    let mut finished = false;
    for _ in 0..most_chunks {
        let start = after.take().map_or(
            Bound::Included(sled::IVec::from(&[b'r'][..])),
            Bound::Excluded,
        );
        let mut batch = sled::Batch::default();
        let mut receipts = ReceiptIndex::new(&h.responses);
        let mut lags: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        let mut in_chunk = 0;
        for entry in h
            .responses
            .range::<sled::IVec, _>((start, Bound::Excluded(sled::IVec::from(&[b's'][..]))))
            .take(chunk)
        {
            let (old_key, body) = entry?;
            in_chunk += 1;
            // The next chunk starts after it, whatever becomes of it.
            after = Some(old_key.clone());
            // `r` survey 0 and 8 bytes of sequence; a key too short to be one is left.
            let Some(survey) = old_key.get(1..old_key.len().saturating_sub(9)) else {
                continue;
            };
            let survey_id = String::from_utf8_lossy(survey).into_owned();
            let place = match positions.get_mut(survey) {
                Some(place) => place,
                None => positions
                    .entry(survey.to_vec())
                    .or_insert(h.positions_on_disk(&survey_id)?),
            };
            let response = serde_json::from_slice::<StoredResponse>(&body).ok();
            // One that cannot be read keeps its place in the order stored.
            let position = place.next(response.as_ref().map(|r| r.submitted_at));
            lags.insert(survey.to_vec(), place.lag);
            let new_key = response_key(&survey_id, position);
            if let Some(response) = &response {
                batch.remove(format_3_time_key(&old_key, response));
                let receipt = format_3_receipt_key(response.receipt.as_str());
                if h.responses.get(&receipt)?.as_deref() == Some(&old_key[..]) {
                    batch.remove(receipt);
                    let survey_id = survey_id.clone();
                    receipts.put(
                        response.receipt.as_str(),
                        &Place {
                            survey_id,
                            position,
                        },
                    )?;
                }
                let submission = submission_key(&survey_id, response.submission_id);
                if h.responses.get(&submission)?.as_deref() == Some(&old_key[..]) {
                    batch.insert(submission, new_key.as_slice());
                }
            } else {
                unreadable += 1;
            }
            batch.remove(&old_key);
            batch.insert(new_key, body);
        }
        if in_chunk == 0 {
            finished = true;
            break;
        }
        receipts.write_into(&mut batch);
        for (survey, lag) in lags {
            batch.insert(
                super::lag_key(&String::from_utf8_lossy(&survey)),
                &lag.to_be_bytes()[..],
            );
        }
        h.responses.apply_batch(batch)?;
        moved += in_chunk as u64;
        if moved % 100_000 < in_chunk as u64 {
            tracing::info!(moved, "moving responses to time-ordered keys");
        }
    }
    if finished {
        // What is left of the time and receipt indexes: entries of responses that
        // could not be read (and so have no time, and no receipt to show).
        let mut leftovers = sled::Batch::default();
        for kind in [b't', b'c'] {
            for key in h.responses.scan_prefix([kind]).keys() {
                leftovers.remove(key?);
            }
        }
        h.responses.apply_batch(leftovers)?;
    }
    if moved > 0 {
        h.db.flush()?;
        tracing::info!(
            moved,
            seconds = started.elapsed().as_secs_f64(),
            "moved the responses stored by an earlier collector to time-ordered keys"
        );
    }
    if unreadable > 0 {
        tracing::error!(
            unreadable,
            "stored responses could not be read while moving them: they are not counted, \
             not in date-filtered exports and not erased by retention; a full export names them"
        );
    }
    Ok(())
}

/// Formats 1 to 3's receipt index key: `c` and the receipt.
fn format_3_receipt_key(receipt: &str) -> Vec<u8> {
    let mut key = vec![b'c'];
    key.extend_from_slice(receipt.as_bytes());
    key
}

/// Format 2 and 3's time index key for the response at `old_key` (`r` survey 0
/// sequence): `t` survey 0, the time as it sorts, and the same sequence.
fn format_3_time_key(old_key: &[u8], response: &StoredResponse) -> Vec<u8> {
    let mut key = response_prefix(b't', &response.survey_id);
    key.extend_from_slice(&sortable_time(response.submitted_at));
    key.extend_from_slice(&old_key[old_key.len().saturating_sub(8)..]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SledStore, Store, Submitted};
    use std::path::Path;

    fn copy_fixture(name: &str, to: &Path) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
            .join("store");
        std::fs::create_dir_all(to.join("store")).unwrap();
        for file in ["conf", "db"] {
            std::fs::copy(from.join(file), to.join("store").join(file)).unwrap();
        }
    }

    fn keys_of(h: &Handles, kind: u8) -> usize {
        h.responses.scan_prefix([kind]).count()
    }

    /// A move cut short after one response (as by a crash) leaves a directory of the new
    /// format that an older collector refuses, and that this one finishes moving.
    #[test]
    fn a_move_cut_short_is_refused_by_older_collectors_and_finished_by_this_one() {
        let dir = tempfile::tempdir().unwrap();
        copy_fixture("format-3", dir.path());
        let h = Handles::open_as_it_is(dir.path()).unwrap();
        assert_eq!((keys_of(&h, b'r'), keys_of(&h, b't')), (2, 2));
        mark_format(&h).unwrap();
        move_to_positions(&h, 1, 1).unwrap();
        assert_eq!((keys_of(&h, b'r'), keys_of(&h, b'p')), (1, 1));
        // The receipt moved with its response; the other's waits with it.
        assert_eq!((keys_of(&h, b'c'), keys_of(&h, b'b')), (1, 1));
        assert_eq!(
            h.meta.get("format").unwrap().as_deref(),
            Some(&FORMAT.to_be_bytes()[..])
        );
        h.db.flush().unwrap();
        h.close();

        // sled lets go of its file from a thread of its own, a moment after closing.
        let store = (0..100)
            .find_map(|_| {
                SledStore::open(dir.path())
                    .inspect_err(|_| std::thread::sleep(std::time::Duration::from_millis(50)))
                    .ok()
            })
            .expect("the store opens again");
        let receipts: Vec<String> = store
            .responses("engagement-2026")
            .map(|r| r.unwrap().receipt.as_str().to_owned())
            .collect();
        assert_eq!(receipts, ["WEEA-7A38", "REXT-RNHT"], "in the order stored");
        for receipt in &receipts {
            let response = store.find_receipt(receipt).unwrap().unwrap();
            assert!(matches!(
                store
                    .find_submission("engagement-2026", response.submission_id)
                    .unwrap(),
                Submitted::Stored(found) if found.receipt.as_str() == receipt
            ));
        }
        let h = store.handles().unwrap();
        assert_eq!(
            (keys_of(&h, b'r'), keys_of(&h, b't'), keys_of(&h, b'c')),
            (0, 0, 0),
            "no sequence key, time index or receipt key is left"
        );
        assert_eq!((keys_of(&h, b'p'), keys_of(&h, b'b')), (2, 2));
    }
}
