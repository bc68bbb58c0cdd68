//! What the summary and reach pages count, kept in memory and brought up to date from the
//! store, so a page reads only the responses stored since it was last shown, not all of them.
//!
//! Each survey's counts are split by day, version and channel (a [`Slice`]), so a filter
//! by dates, channel or version adds up the slices it matches. The counts remember the
//! position of the last response they counted (see `Store::responses_after`): every
//! response they have not read yet has a larger one, so bringing them up to date reads
//! only those.
//! An erasure that goes through [`RunningCounts::erase`] takes its response back out, under
//! the same lock, so a count never includes a response that is gone. Counts are against
//! the survey's newest version (as the summary counts): a new version starts them again,
//! as does any erasure the counts did not take out themselves: retention's purge
//! ([`RunningCounts::forget`]), another collector's erasure on a shared store, or a store
//! reopened after a failed write, which drops what never reached the disk (all of which
//! move `Store::erasure_mark`). Nothing here is written to disk: a restarted collector
//! counts again, in the background, as it starts.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use parking_lot::Mutex;
use time::Date;
use voices_shared::{Channel, Survey};

use crate::store::{Store, StoreError, StoredResponse};
use crate::summary::{
    MAX_DETAILS, Tally, answer_places, counted_places, counts_as_answered, written_details,
};

/// The responses of one day (UTC), to one version, through one channel, read in one
/// language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slice {
    pub day: Date,
    pub version: u32,
    pub channel: Channel,
    /// The language read in (Easy Read is one), as its place in the counted survey's
    /// `locales`; [`Slice::OTHER_LANGUAGE`] for one it no longer offers.
    pub language: u8,
}

impl Slice {
    /// A language the counted survey does not offer (an older version's).
    pub const OTHER_LANGUAGE: u8 = u8::MAX;

    fn of(response: &StoredResponse, survey: &Survey) -> Slice {
        Slice {
            day: response.day(),
            version: response.survey_version,
            channel: response.channel,
            language: survey
                .locales()
                .iter()
                .position(|locale| *locale == response.locale)
                .and_then(|at| u8::try_from(at).ok())
                .filter(|at| *at != Slice::OTHER_LANGUAGE)
                .unwrap_or(Slice::OTHER_LANGUAGE),
        }
    }
}

/// Which responses a view counts: those submitted from `from` to `to` (UTC days, both
/// included), through `channel`, to `version`; `None` places no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub channel: Option<Channel>,
    pub version: Option<u32>,
}

impl Filter {
    /// Whether it leaves every response in.
    pub fn is_everything(&self) -> bool {
        *self == Filter::default()
    }

    pub fn matches(&self, slice: &Slice) -> bool {
        self.from.is_none_or(|from| slice.day >= from)
            && self.to.is_none_or(|to| slice.day <= to)
            && self.channel.is_none_or(|channel| slice.channel == channel)
            && self.version.is_none_or(|version| slice.version == version)
    }
}

/// Where each number of a slice's counts is, for the survey counted against:
/// first how many responded, then for each question in turn how many answered it and
/// how many chose each of its [`answer_values`](crate::summary::answer_values).
///
/// Numbers by place, not maps keyed by question ids and answers: a survey collected
/// over months has thousands of slices, and a map of strings for each left hundreds of small allocations
/// per slice scattered among the store's pages, memory the process could not give back
/// when the store let go of what its reads had used. For the same reason every slice's
/// numbers are kept in one vector ([`Counted::numbers`]), not an allocation each.
struct Places {
    /// Each question's place for how many answered it; its answers follow it.
    questions: Vec<usize>,
    /// How many numbers a row holds.
    width: usize,
}

impl Places {
    fn of(survey: &Survey) -> Places {
        let mut questions = Vec::new();
        let mut width = 1;
        for question in survey.questions() {
            questions.push(width);
            width += 1 + answer_places(question);
        }
        Places { questions, width }
    }
}

/// One survey's counts, up to the response at `after`.
pub struct Counted {
    /// The version counted against: the survey's newest when counting began.
    survey: Survey,
    places: Places,
    /// The survey's `Store::erasure_mark` that the counts agree with: when it moves
    /// without them, what was counted may be gone.
    erasures: u64,
    after: Option<u64>,
    /// Each slice counted, in order, with where its numbers start in `numbers`.
    slices: Vec<(Slice, usize)>,
    /// Every slice's numbers, laid out by `places`, one slice after another in the order
    /// they were first counted. A slice of one day cannot reach `u32`'s limit, and the
    /// counts saturate rather than wrap if it did.
    numbers: Vec<u32>,
    /// Question id → what was written for its "please specify" answer, by the position
    /// of the response that wrote it (at most [`MAX_DETAILS`]), and how many more.
    details: BTreeMap<String, (BTreeMap<u64, String>, u64)>,
}

impl Counted {
    fn new(survey: &Survey, erasures: u64) -> Counted {
        Counted {
            survey: survey.clone(),
            places: Places::of(survey),
            erasures,
            after: None,
            slices: Vec::new(),
            numbers: Vec::new(),
            details: BTreeMap::new(),
        }
    }

    /// Counts one response's answers into its slice, or with `add` false takes them back.
    fn count(&mut self, response: &StoredResponse, add: bool) {
        let slice = Slice::of(response, &self.survey);
        let width = self.places.width;
        let start = match self.slices.binary_search_by_key(&slice, |(s, _)| *s) {
            Ok(found) => self.slices[found].1,
            Err(at) if add => {
                let start = self.numbers.len();
                self.numbers.resize(start + width, 0);
                self.slices.insert(at, (slice, start));
                start
            }
            Err(_) => return,
        };
        let row = &mut self.numbers[start..start + width];
        let mut step = |at: usize| {
            if let Some(n) = row.get_mut(at) {
                *n = if add {
                    n.saturating_add(1)
                } else {
                    n.saturating_sub(1)
                };
            }
        };
        step(0);
        for (question, &at) in self.survey.questions().zip(&self.places.questions) {
            let answer = response.answers.get(question.id());
            let places = answer.map_or_else(Vec::new, |a| counted_places(question, a));
            if counts_as_answered(question, answer, !places.is_empty()) {
                step(at);
                for place in places {
                    debug_assert!(
                        place < answer_places(question),
                        "an answer past its question"
                    );
                    step(at + 1 + place);
                }
            }
        }
    }

    fn add(&mut self, position: u64, response: &StoredResponse) {
        self.count(response, true);
        for (id, text) in written_details(&self.survey, &response.answers, &response.specify) {
            let (listed, more) = self.details.entry(id.to_owned()).or_default();
            if listed.len() < MAX_DETAILS {
                listed.insert(position, text.to_owned());
            } else {
                *more += 1;
            }
        }
        self.after = Some(position);
    }

    fn remove(&mut self, position: u64, response: &StoredResponse) {
        self.count(response, false);
        for (id, _) in written_details(&self.survey, &response.answers, &response.specify) {
            if let Some((listed, more)) = self.details.get_mut(id)
                && listed.remove(&position).is_none()
            {
                *more = more.saturating_sub(1);
            }
        }
    }

    /// The responses `filter` matches, counted as one tally, with what they wrote for
    /// "please specify" answers when the filter matches every response.
    pub(crate) fn tally(&self, filter: &Filter) -> Tally {
        let width = self.places.width;
        let mut sums = vec![0u64; width];
        for (_, start) in self.slices.iter().filter(|(s, _)| filter.matches(s)) {
            for (sum, n) in sums.iter_mut().zip(&self.numbers[*start..*start + width]) {
                *sum += u64::from(*n);
            }
        }
        let answered = self.places.questions.iter().map(|&at| sums[at]);
        let chosen = self
            .places
            .questions
            .iter()
            .zip(self.survey.questions())
            .flat_map(|(&at, question)| sums[at + 1..at + 1 + answer_places(question)].iter())
            .copied();
        let mut tally = Tally::of_counts(&self.survey, sums[0], answered, chosen);
        if filter.is_everything() {
            tally.set_details(
                self.details
                    .iter()
                    .map(|(id, (listed, more))| {
                        (id.clone(), (listed.values().cloned().collect(), *more))
                    })
                    .collect(),
            );
        }
        tally
    }

    /// How many responses each slice holds (those with none left out).
    pub fn slice_counts(&self) -> Vec<(Slice, u64)> {
        self.slices
            .iter()
            .map(|(slice, start)| (*slice, u64::from(self.numbers[*start])))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The survey version the counts are against.
    pub fn survey(&self) -> &Survey {
        &self.survey
    }
}

/// Every survey's counts, each behind its own lock, so one survey being counted holds up
/// no other.
#[derive(Default)]
pub struct RunningCounts {
    surveys: Mutex<HashMap<String, Arc<Mutex<Option<Counted>>>>>,
}

impl RunningCounts {
    fn entry(&self, survey_id: &str) -> Arc<Mutex<Option<Counted>>> {
        Arc::clone(self.surveys.lock().entry(survey_id.to_owned()).or_default())
    }

    /// Brings `survey`'s counts up to date (reading the responses stored since they were
    /// last read, or all of them the first time and after a new version) and hands them to
    /// `read`. Blocking: call off the async threads.
    pub fn read<T>(
        &self,
        store: &dyn Store,
        survey: &Survey,
        read: impl FnOnce(&Counted) -> T,
    ) -> Result<T, StoreError> {
        let entry = self.entry(survey.id());
        let mut counted = entry.lock();
        let erasures = store.erasure_mark(survey.id())?;
        // Counted again for a newer version, or after erasures the counts did not take out
        // themselves; a caller holding an older version than the counts' (one that read
        // the catalog before a publish) gets the newer counts, rather than counting twice
        // in turn.
        let counted = match &mut *counted {
            Some(c) if c.survey.version() >= survey.version() && c.erasures == erasures => c,
            other => other.insert(Counted::new(survey, erasures)),
        };
        // Each response counted moves `after` on, so a read that fails halfway keeps
        // what it counted and the next one goes on from there.
        for item in store.responses_after(survey.id(), counted.after) {
            let (position, response) = item?;
            counted.add(position, &response);
        }
        Ok(read(counted))
    }

    /// Erases the response with this receipt from the store and from the counts, if they
    /// had counted it; returns what was erased.
    pub fn erase(
        &self,
        store: &dyn Store,
        receipt: &str,
    ) -> Result<Option<StoredResponse>, StoreError> {
        let Some(found) = store.find_receipt(receipt)? else {
            return Ok(None);
        };
        // Under the survey's lock, no reading of new responses comes between the erasure
        // and taking it out: the counts had either counted it before, or will never see it.
        let entry = self.entry(&found.survey_id);
        let mut counted = entry.lock();
        let before = store.erasure_mark(&found.survey_id)?;
        let position = store.position_of_receipt(receipt)?;
        let erased = store.erase_response(receipt)?;
        let after = store.erasure_mark(&found.survey_id);
        let only_this = matches!(after, Ok(after) if after == before + u64::from(erased.is_some()));
        if counted
            .as_ref()
            .is_some_and(|c| c.erasures != before || !only_this)
        {
            // Something else was erased too (another collector, a reopen), or the mark
            // could not be read: what they counted may be gone, and the next read counts
            // again.
            *counted = None;
        }
        if let (Some(counted), Ok(after)) = (counted.as_mut(), after) {
            counted.erasures = after;
        }
        if let (Some(counted), Some(position), Some(response)) =
            (counted.as_mut(), position, erased.as_ref())
            && counted.after.is_some_and(|after| position <= after)
        {
            counted.remove(position, response);
        }
        Ok(erased)
    }

    /// Drops a survey's counts (after retention erased some of its responses): the next
    /// read counts them all again.
    pub fn forget(&self, survey_id: &str) {
        *self.entry(survey_id).lock() = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::Receipt;
    use voices_shared::serde_json::{self, json};

    fn poll() -> Survey {
        Survey::from_value(&json!({
            "format": 1, "id": "poll", "version": 1, "default_locale": "en",
            "title": "A poll", "privacy": {"text": "Kept for a month."},
            "allowed_origins": ["*"],
            "pages": [{"id": "p1", "questions": [{
                "id": "colour", "type": "single_choice", "label": "Which colour?",
                "options": [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"}]
            }]}]
        }))
        .expect("a valid survey")
    }

    fn response(survey: &Survey, day: u8) -> StoredResponse {
        let submission = serde_json::from_value(json!({
            "submission_id": "0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a", "survey_version": 1,
            "locale": "en", "answers": {"colour": "blue"}
        }))
        .expect("a submission");
        let at = time::Date::from_calendar_date(2026, time::Month::November, day)
            .expect("a day")
            .midnight()
            .assume_utc();
        let valid = survey.accept(submission).expect("a valid response");
        StoredResponse::new("poll", valid, Receipt::generate(), at)
    }

    #[test]
    fn taking_out_a_response_from_a_slice_never_counted_changes_nothing() {
        let survey = poll();
        let mut counted = Counted::new(&survey, 0);
        counted.add(1, &response(&survey, 1));
        counted.remove(2, &response(&survey, 2));
        assert_eq!(counted.numbers.len(), counted.places.width);
        let days: Vec<(Date, u64)> = counted
            .slice_counts()
            .into_iter()
            .map(|(slice, n)| (slice.day, n))
            .collect();
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].1, 1);
        // Taken out of the slice it was counted in: no slice left with a response.
        counted.remove(1, &response(&survey, 1));
        assert!(counted.slice_counts().is_empty());
        let summary = crate::summary::summarise_counted(&counted);
        assert_eq!(summary.respondents, crate::summary::Shown::Count(0));
    }
}
