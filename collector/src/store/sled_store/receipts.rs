//! The sled store's receipt index: every receipt with where its response is, kept in
//! 65,536 buckets of one key each (`b` and the bucket's number), since sled's memory and
//! its time to write grow with its number of keys far more than with their bytes.
//!
//! A bucket's value is its entries one after another, each the receipt (its length, then
//! its text), its response's position (8 bytes) and survey id (its length, then its text):
//! about 16 entries of 35 bytes per bucket in a store of a million responses. A probe of
//! sled alone, 1,000,000 responses, with a key per receipt instead: 34 s to write, 95 MB
//! to open; with these buckets 27 s and 57 MB (4,096 buckets wrote 2.9 times the bytes, as
//! each insert writes its whole bucket again; 262,144 opened in 67 MB).

use std::collections::HashMap;

/// How many bits of a receipt's hash pick its bucket.
const BUCKET_BITS: u32 = 16;

/// A bucket's key: `b` and its number.
pub(super) type BucketKey = [u8; 3];

/// The key of the bucket a receipt is in. Receipts are uniformly random (drawn, or
/// derived with HMAC), and FNV-1a's high bits spread them evenly over the buckets.
pub(super) fn bucket_key(receipt: &str) -> BucketKey {
    let hash = receipt
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    let [high, low] = u16::try_from(hash >> (64 - BUCKET_BITS))
        .unwrap_or(u16::MAX)
        .to_be_bytes();
    [b'b', high, low]
}

/// Where a receipt's response is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub survey_id: String,
    pub position: u64,
}

/// What a bucket that cannot be read is reported as: sled's own word for it.
fn corrupt() -> sled::Error {
    sled::Error::Corruption { at: None, bt: () }
}

/// The entries of a bucket: (where the entry starts and ends, its receipt, its place).
fn entries(
    bucket: &[u8],
) -> impl Iterator<Item = Result<(usize, usize, &[u8], Place), sled::Error>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bucket.len() {
            return None;
        }
        let start = at;
        let mut take = |n: usize| -> Result<&[u8], sled::Error> {
            let part = bucket.get(at..at + n).ok_or_else(corrupt)?;
            at += n;
            Ok(part)
        };
        let entry = (|| {
            let receipt_len = usize::from(take(1)?[0]);
            let receipt = take(receipt_len)?;
            let position = u64::from_be_bytes(take(8)?.try_into().map_err(|_| corrupt())?);
            let survey_len = usize::from(take(1)?[0]);
            let survey_id = String::from_utf8(take(survey_len)?.to_vec()).map_err(|_| corrupt())?;
            Ok((
                receipt,
                Place {
                    survey_id,
                    position,
                },
            ))
        })();
        Some(match entry {
            Ok((receipt, place)) => Ok((start, at, receipt, place)),
            Err(error) => {
                // Nothing after a broken entry can be read either.
                at = bucket.len();
                Err(error)
            }
        })
    })
}

/// Where `receipt`'s response is, in `bucket`, and the entry's bounds.
fn find_in(bucket: &[u8], receipt: &str) -> Result<Option<(usize, usize, Place)>, sled::Error> {
    for entry in entries(bucket) {
        let (start, end, found, place) = entry?;
        if found == receipt.as_bytes() {
            return Ok(Some((start, end, place)));
        }
    }
    Ok(None)
}

/// Where `receipt`'s response is, read from the tree now.
pub(super) fn find(tree: &sled::Tree, receipt: &str) -> Result<Option<Place>, sled::Error> {
    match tree.get(bucket_key(receipt))? {
        Some(bucket) => Ok(find_in(&bucket, receipt)?.map(|(_, _, place)| place)),
        None => Ok(None),
    }
}

/// The buckets one batch reads and changes: each read from the tree once, and
/// written back whole with the batch ([`ReceiptIndex::write_into`]), so that entries
/// added and removed in one batch all count.
pub(super) struct ReceiptIndex<'t> {
    tree: &'t sled::Tree,
    buckets: HashMap<BucketKey, Bucket>,
}

/// A bucket as the tree has it, and as this batch changed it.
struct Bucket {
    stored: Vec<u8>,
    changed: Option<Vec<u8>>,
}

impl<'t> ReceiptIndex<'t> {
    pub(super) fn new(tree: &'t sled::Tree) -> Self {
        ReceiptIndex {
            tree,
            buckets: HashMap::new(),
        }
    }

    /// The bucket `receipt` belongs in.
    fn bucket(&mut self, receipt: &str) -> Result<&mut Bucket, sled::Error> {
        let key = bucket_key(receipt);
        if !self.buckets.contains_key(&key) {
            let stored = self.tree.get(key)?.map(|v| v.to_vec()).unwrap_or_default();
            let changed = None;
            self.buckets.insert(key, Bucket { stored, changed });
        }
        self.buckets.get_mut(&key).ok_or_else(corrupt)
    }

    /// The bucket `receipt` belongs in, to change.
    fn bucket_to_change(&mut self, receipt: &str) -> Result<&mut Vec<u8>, sled::Error> {
        let bucket = self.bucket(receipt)?;
        Ok(bucket.changed.get_or_insert_with(|| bucket.stored.clone()))
    }

    /// Where `receipt`'s response is, with this batch's changes.
    pub(super) fn find(&mut self, receipt: &str) -> Result<Option<Place>, sled::Error> {
        let bucket = self.bucket(receipt)?;
        let entries = bucket.changed.as_ref().unwrap_or(&bucket.stored);
        Ok(find_in(entries, receipt)?.map(|(_, _, place)| place))
    }

    /// Where `receipt`'s response is on disk, without this batch's changes (whose
    /// responses are not written yet).
    pub(super) fn find_stored(&mut self, receipt: &str) -> Result<Option<Place>, sled::Error> {
        let bucket = self.bucket(receipt)?;
        Ok(find_in(&bucket.stored, receipt)?.map(|(_, _, place)| place))
    }

    /// Adds `receipt` (or moves it, if it is there) to `place`.
    pub(super) fn put(&mut self, receipt: &str, place: &Place) -> Result<(), sled::Error> {
        self.remove(receipt)?;
        let receipt_len = u8::try_from(receipt.len()).map_err(|_| corrupt())?;
        let survey_len = u8::try_from(place.survey_id.len()).map_err(|_| corrupt())?;
        let bucket = self.bucket_to_change(receipt)?;
        bucket.push(receipt_len);
        bucket.extend_from_slice(receipt.as_bytes());
        bucket.extend_from_slice(&place.position.to_be_bytes());
        bucket.push(survey_len);
        bucket.extend_from_slice(place.survey_id.as_bytes());
        Ok(())
    }

    /// Takes `receipt` out; whether it was there.
    pub(super) fn remove(&mut self, receipt: &str) -> Result<bool, sled::Error> {
        if self.find(receipt)?.is_none() {
            return Ok(false);
        }
        let bucket = self.bucket_to_change(receipt)?;
        if let Some((start, end, _)) = find_in(bucket, receipt)? {
            bucket.drain(start..end);
        }
        Ok(true)
    }

    /// Adds the changed buckets to `batch` (an emptied one is removed).
    pub(super) fn write_into(self, batch: &mut sled::Batch) {
        for (key, bucket) in self.buckets {
            match bucket.changed {
                None => {}
                Some(entries) if entries.is_empty() => batch.remove(&key[..]),
                Some(entries) => batch.insert(&key[..], entries),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::Receipt;

    /// 200,000 receipts over 65,536 buckets: about 3 in each, and no bucket far
    /// fuller than chance makes it (a Poisson count of mean 3 passes 17 about once in
    /// 10^8 buckets), so no bucket grows long while others stay empty.
    #[test]
    fn receipts_spread_evenly_over_the_buckets() {
        let mut counts: HashMap<BucketKey, u32> = HashMap::new();
        for _ in 0..200_000 {
            *counts
                .entry(bucket_key(Receipt::generate().as_str()))
                .or_default() += 1;
        }
        let fullest = counts.values().max().copied().unwrap_or(0);
        // Mean 200,000 / 65,536 ≈ 3.05: about 95 % of the buckets get one or more.
        assert!(counts.len() > 60_000, "{} buckets used", counts.len());
        assert!(fullest <= 17, "a bucket holds {fullest}");
    }

    #[test]
    fn a_bucket_finds_moves_and_forgets_its_receipts() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let tree = db.open_tree("responses").unwrap();
        let place = |survey: &str, position| Place {
            survey_id: survey.to_owned(),
            position,
        };
        let receipts: Vec<String> = (0..50)
            .map(|_| Receipt::generate().as_str().to_owned())
            .collect();
        let mut index = ReceiptIndex::new(&tree);
        for (n, receipt) in (0..).zip(&receipts) {
            index.put(receipt, &place("poll", n)).unwrap();
        }
        // Seen before the batch is written.
        assert_eq!(index.find(&receipts[7]).unwrap(), Some(place("poll", 7)));
        let mut batch = sled::Batch::default();
        index.write_into(&mut batch);
        tree.apply_batch(batch).unwrap();
        for (n, receipt) in (0..).zip(&receipts) {
            assert_eq!(find(&tree, receipt).unwrap(), Some(place("poll", n)));
        }
        assert_eq!(find(&tree, "NONE-SUCH").unwrap(), None);

        let mut index = ReceiptIndex::new(&tree);
        assert!(index.remove(&receipts[3]).unwrap());
        assert!(!index.remove(&receipts[3]).unwrap());
        index
            .put(&receipts[4], &place("engagement-2026", 99))
            .unwrap();
        let mut batch = sled::Batch::default();
        index.write_into(&mut batch);
        tree.apply_batch(batch).unwrap();
        assert_eq!(find(&tree, &receipts[3]).unwrap(), None);
        assert_eq!(
            find(&tree, &receipts[4]).unwrap(),
            Some(place("engagement-2026", 99))
        );
        for (n, receipt) in (0..).zip(&receipts).skip(5) {
            assert_eq!(find(&tree, receipt).unwrap(), Some(place("poll", n)));
        }
        // A bucket cut short is reported, not read as if whole: a receipt that is not
        // in it (but belongs in it) is looked for to the end.
        let key = bucket_key(&receipts[0]);
        let bucket = tree.get(key).unwrap().unwrap();
        tree.insert(key, &bucket[..bucket.len() - 1]).unwrap();
        let neighbour = std::iter::repeat_with(Receipt::generate)
            .map(|r| r.as_str().to_owned())
            .find(|r| bucket_key(r) == key && !receipts.contains(r))
            .unwrap();
        assert!(matches!(
            find(&tree, &neighbour),
            Err(sled::Error::Corruption { .. })
        ));
    }
}
