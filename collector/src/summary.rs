//! What people said, counted: each question's answers with their counts and shares, small
//! numbers hidden (see `disclosure`), for the staff summary page and its download.
//!
//! Counts are over every response to the survey, all versions, against the questions of
//! the newest version (an answer to an option it no longer has is not counted). A share is
//! of everyone who responded, so the rows of a question add up to 100 % with "Not
//! answered" among them.

use std::collections::BTreeMap;

use voices_shared::serde_json::Value;
use voices_shared::{Condition, QuestionKind, Survey};

use crate::disclosure::{Counts, DEFAULT_THRESHOLD, MIN_THRESHOLD};
use crate::running_counts::{Counted, Filter};
use crate::store::{Store, StoreError};

/// The most "please specify" texts a question lists on the summary page.
pub const MAX_DETAILS: usize = 500;

/// A count as a summary shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    /// Too small to show, or would reveal one that is.
    Hidden,
}

impl Shown {
    /// `n`, or hidden.
    pub fn of(n: u64, hidden: bool) -> Shown {
        if hidden {
            Shown::Hidden
        } else {
            Shown::Count(n)
        }
    }

    /// The share of `of` this is, in per cent, when both show and `of` is not zero.
    pub fn percent_of(self, of: Shown) -> Option<f64> {
        match (self, of) {
            (Shown::Count(n), Shown::Count(of)) if of > 0 => Some(n as f64 * 100.0 / of as f64),
            _ => None,
        }
    }
}

/// One answer of a question (an option, a point of a rating, or "Not answered").
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCount {
    /// The option's value, the rating's number, or empty for "Not answered".
    pub value: String,
    pub label: String,
    pub count: Shown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub id: String,
    pub label: String,
    /// Several answers may be chosen, so the rows do not add up to everyone.
    pub multiple: bool,
    /// For choices and ratings: each answer. Empty for other questions.
    pub answers: Vec<AnswerCount>,
    /// How many answered it.
    pub answered: Shown,
    /// What people wrote for its "please specify" answer, for staff (never in the
    /// download or in print), at most [`MAX_DETAILS`] of them.
    pub details: Vec<String>,
    /// How many more were written than are listed.
    pub more_details: u64,
    /// Its answers by the groups of another question, when the summary is broken down.
    pub breakdown: Option<Breakdown>,
}

/// A question's answers (its rows, "Not answered" last) by the groups of another question
/// (its columns, "Not answered" last), each count protected with the summary's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub groups: Vec<String>,
    /// How many are in each group, as this breakdown shows them.
    pub totals: Vec<Shown>,
    /// How many in each group answered the question (its rows but "Not answered").
    pub answered: Vec<Shown>,
    /// One row per answer of the question, in the same order as its answers.
    pub rows: Vec<Vec<Shown>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub respondents: Shown,
    pub threshold: u64,
    pub questions: Vec<QuestionSummary>,
    /// The question each other is broken down by (its id and label), if any.
    pub by: Option<(String, String)>,
}

/// The questions a summary can be broken down by: single choices and ratings.
pub fn breakdown_choices(survey: &Survey) -> Vec<(String, String)> {
    survey
        .questions()
        .filter(|q| one_answer(q))
        .map(|q| (q.id().to_owned(), q.label().default_text().to_owned()))
        .collect()
}

/// The answers a question offers, as (value, label): a choice's options, a rating's
/// points; none for other questions.
pub fn answer_values(question: &voices_shared::Question) -> Vec<(String, String)> {
    match question.kind() {
        QuestionKind::Rating { min, max, .. } => (*min..=*max)
            .map(|n| (n.to_string(), n.to_string()))
            .collect(),
        _ => question
            .options()
            .iter()
            .map(|o| (o.value().to_owned(), o.label().default_text().to_owned()))
            .collect(),
    }
}

/// How many answers [`answer_values`] lists for `question`, without listing them.
pub(crate) fn answer_places(question: &voices_shared::Question) -> usize {
    match question.kind() {
        QuestionKind::Rating { min, max, .. } => {
            (usize::from(*max) + 1).saturating_sub(usize::from(*min))
        }
        _ => question.options().len(),
    }
}

/// A single choice or a rating: one answer each, so its answers split everyone.
pub(crate) fn one_answer(question: &voices_shared::Question) -> bool {
    matches!(
        question.kind(),
        QuestionKind::SingleChoice { .. } | QuestionKind::Rating { .. }
    )
}

/// Counts `survey`'s responses (blocking: call off the async threads).
pub fn summarise(store: &dyn Store, survey: &Survey) -> Result<Summary, StoreError> {
    summarise_by(store, survey, None)
}

/// Like [`summarise`], with each single choice and rating broken down by the groups of
/// `by` (one of [`breakdown_choices`]; anything else breaks nothing down).
pub fn summarise_by(
    store: &dyn Store,
    survey: &Survey,
    by: Option<&str>,
) -> Result<Summary, StoreError> {
    let mut tally = Tally::by(survey, by);
    for response in store.responses(survey.id()) {
        let response = response?;
        tally.add(survey, &response.answers);
        tally.add_details(survey, &response.answers, &response.specify);
    }
    Ok(tally.summary(survey))
}

/// Like [`summarise`], from counts kept up to date instead of every response read.
pub fn summarise_counted(counted: &Counted) -> Summary {
    counted.tally(&Filter::default()).summary(counted.survey())
}

/// Every response's summary, with each single choice and rating broken down into the
/// responses `filter` matches and the rest ([`Breakdown`] groups "Matching the filters"
/// and "The rest"), protected as one table: what the filter shows, read beside the whole,
/// gives away nothing hidden about the responses it leaves out.
///
/// `matching_seen` says whether another table on the same page shows how many the filter
/// matches (`Some(true)`), hides it (`Some(false)`), or neither.
pub fn summarise_filtered(
    counted: &Counted,
    filter: &Filter,
    matching_seen: Option<bool>,
) -> (Summary, Summary) {
    let whole = counted.tally(&Filter::default());
    let part = counted.tally(filter);
    let mut split = Tally::split(counted.survey(), &whole, &part);
    split.matching_seen = matching_seen;
    (
        whole.summary(counted.survey()),
        split.summary(counted.survey()),
    )
}

/// Like [`summarise_filtered`], from answers already in hand, each with whether the
/// filter matches it.
pub fn summarise_answers_filtered<'a>(
    survey: &Survey,
    answers: impl IntoIterator<Item = (&'a voices_shared::Answers, bool)>,
    matching_seen: Option<bool>,
) -> Summary {
    let (mut whole, mut part) = (Tally::default(), Tally::default());
    for (answers, matches) in answers {
        whole.add(survey, answers);
        if matches {
            part.add(survey, answers);
        }
    }
    let mut split = Tally::split(survey, &whole, &part);
    split.matching_seen = matching_seen;
    split.summary(survey)
}

/// Like [`summarise_by`], from answers already in hand.
pub fn summarise_answers<'a>(
    survey: &Survey,
    answers: impl IntoIterator<Item = &'a voices_shared::Answers>,
    by: Option<&str>,
) -> Summary {
    let mut tally = Tally::by(survey, by);
    for answers in answers {
        tally.add(survey, answers);
    }
    tally.summary(survey)
}

/// Raw counts, before anything is hidden.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    respondents: u64,
    /// Question id → answer value → count.
    chosen: BTreeMap<String, BTreeMap<String, u64>>,
    answered: BTreeMap<String, u64>,
    /// The question to break the others down by.
    by: Option<String>,
    /// (question, its answer, the `by` question's answer) → count; "" is not answered.
    pairs: BTreeMap<(String, String, String), u64>,
    /// Question id → what people wrote for its "please specify" answer, and how many more.
    details: BTreeMap<String, (Vec<String>, u64)>,
    /// Set when the answers are broken down into those a filter matches and the rest:
    /// how many responses it matches (the pairs' groups are [`MATCHING`] and [`THE_REST`]).
    split: Option<u64>,
    /// Whether another table shown with the split shows how many it matches (`true`) or
    /// hides it (`false`), so this one does the same.
    matching_seen: Option<bool>,
}

/// The group of a split tally's pairs that the filter matches.
const MATCHING: &str = "matching";
/// The group of a split tally's pairs that the filter leaves out.
const THE_REST: &str = "the rest";

impl Tally {
    /// A tally that also breaks the answers down by `by`, when it is a question that can.
    fn by(survey: &Survey, by: Option<&str>) -> Tally {
        Tally {
            by: by
                .filter(|id| survey.question(id).is_some_and(one_answer))
                .map(str::to_owned),
            ..Tally::default()
        }
    }

    /// Keeps what was written for each "please specify" answer chosen.
    fn add_details(
        &mut self,
        survey: &Survey,
        answers: &voices_shared::Answers,
        specify: &voices_shared::SpecifyTexts,
    ) {
        for (id, text) in written_details(survey, answers, specify) {
            let (listed, more) = self.details.entry(id.to_owned()).or_default();
            if listed.len() < MAX_DETAILS {
                listed.push(text.to_owned());
            } else {
                *more += 1;
            }
        }
    }

    /// A tally of `respondents` responses, with each of `survey`'s questions (in order)
    /// answered by as many as `answered` says, and each of its [`answer_values`] chosen
    /// by as many as `chosen` says, in turn.
    pub(crate) fn of_counts(
        survey: &Survey,
        respondents: u64,
        answered: impl IntoIterator<Item = u64>,
        mut chosen: impl Iterator<Item = u64>,
    ) -> Tally {
        let mut tally = Tally {
            respondents,
            ..Tally::default()
        };
        for (question, answered) in survey.questions().zip(answered) {
            if answered > 0 {
                tally.answered.insert(question.id().to_owned(), answered);
            }
            let counts: BTreeMap<String, u64> = chosen
                .by_ref()
                .take(answer_places(question))
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(place, n)| (answer_value(question, place), n))
                .collect();
            if !counts.is_empty() {
                tally.chosen.insert(question.id().to_owned(), counts);
            }
        }
        tally
    }

    /// Sets what was written for "please specify" answers, per question, and how many
    /// more than listed.
    pub(crate) fn set_details(&mut self, details: BTreeMap<String, (Vec<String>, u64)>) {
        self.details = details;
    }

    /// `whole` with each single choice and rating broken down into the responses `part`
    /// (some of `whole`'s: those a filter matches) counted and the rest, so that the part
    /// is protected together with the whole and what it leaves out.
    pub(crate) fn split(survey: &Survey, whole: &Tally, part: &Tally) -> Tally {
        let mut split = whole.clone();
        split.by = None;
        split.split = Some(part.respondents);
        split.pairs.clear();
        for question in survey.questions().filter(|q| one_answer(q)) {
            let id = question.id();
            let chosen = |tally: &Tally, value: &str| {
                tally
                    .chosen
                    .get(id)
                    .and_then(|c| c.get(value))
                    .copied()
                    .unwrap_or(0)
            };
            let not_answered = |tally: &Tally| {
                tally
                    .respondents
                    .saturating_sub(tally.answered.get(id).copied().unwrap_or(0))
            };
            let mut cells: Vec<(String, u64, u64)> = answer_values(question)
                .into_iter()
                .map(|(value, _)| {
                    let matching = chosen(part, &value);
                    let all = chosen(whole, &value);
                    (value, matching, all.saturating_sub(matching))
                })
                .collect();
            let (matching, all) = (not_answered(part), not_answered(whole));
            cells.push((String::new(), matching, all.saturating_sub(matching)));
            for (value, matching, rest) in cells {
                split.pairs.insert(
                    (id.to_owned(), value.clone(), MATCHING.to_owned()),
                    matching,
                );
                split
                    .pairs
                    .insert((id.to_owned(), value, THE_REST.to_owned()), rest);
            }
        }
        split
    }

    /// Counts one response's answers.
    pub(crate) fn add(&mut self, survey: &Survey, answers: &voices_shared::Answers) {
        let step = |n: &mut u64| *n += 1;
        step(&mut self.respondents);
        // Each single choice's and rating's counted answer ("" for none), for breakdowns.
        let mut single: Vec<(&str, String)> = Vec::new();
        for question in survey.questions() {
            let answer = answers.get(question.id());
            // Only answers the newest version still offers are counted, written as it
            // writes them, so that a question's rows add up to those who answered it and
            // a breakdown counts exactly what the summary counts.
            let current = answer.map_or_else(Vec::new, |a| counted_answers(question, a));
            let counted = counts_as_answered(question, answer, !current.is_empty());
            if one_answer(question) && self.by.is_some() {
                let value = current.first().cloned().unwrap_or_default();
                single.push((question.id(), value));
            }
            if !counted {
                continue;
            }
            step(self.answered.entry(question.id().to_owned()).or_default());
            let chosen = self.chosen.entry(question.id().to_owned()).or_default();
            for value in current {
                step(chosen.entry(value).or_default());
            }
        }
        if let Some(by) = &self.by {
            let group = single
                .iter()
                .find(|(id, _)| id == by)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            for (id, value) in &single {
                if id != by {
                    step(
                        self.pairs
                            .entry(((*id).to_owned(), value.clone(), group.clone()))
                            .or_default(),
                    );
                }
            }
        }
    }

    fn summary(&self, survey: &Survey) -> Summary {
        let threshold = threshold_of(survey);
        let everyone = self.respondents;
        // How many responded is on the survey's page for every member of staff, so it is
        // a count every table here shows. Below the threshold nothing else is shown.
        if everyone < threshold {
            return Summary {
                respondents: Shown::Count(everyone),
                threshold,
                questions: Vec::new(),
                by: None,
            };
        }
        // One table of every count shown, with every sum that ties them together, protected
        // as one: a question's rows add up to those who answered it, each question's
        // answered and not answered to everyone, and a required question shown only by
        // another's answer was answered by as many as gave that answer.
        let mut counts = Counts::new();
        let everyone_at = counts.count(everyone);
        let mut layouts = Vec::new();
        for question in survey
            .questions()
            .filter(|q| !matches!(q.kind(), QuestionKind::Info { .. }))
        {
            let id = question.id();
            let count_of = |value: &str| {
                self.chosen
                    .get(id)
                    .and_then(|c| c.get(value))
                    .copied()
                    .unwrap_or(0)
            };
            let answered = self.answered.get(id).copied().unwrap_or(0);
            let answers = answer_values(question);
            let multiple = matches!(question.kind(), QuestionKind::MultipleChoice { .. });
            let answered_at = counts.count(answered);
            let not_answered_at = counts.count(everyone.saturating_sub(answered));
            counts.sum(everyone_at, &[answered_at, not_answered_at]);
            let cells: Vec<usize> = answers
                .iter()
                .map(|(value, _)| counts.count(count_of(value)))
                .collect();
            if multiple {
                for &chosen in &cells {
                    // Chosen, or not (by everyone else).
                    let not_chosen = counts.count(everyone.saturating_sub(counts.value(chosen)));
                    counts.sum(everyone_at, &[chosen, not_chosen]);
                }
                // Exactly k answers from each who answered: the rows add up to k times them.
                if let QuestionKind::MultipleChoice {
                    min_selected,
                    max_selected,
                    ..
                } = question.kind()
                {
                    let fixed = match (min_selected, max_selected) {
                        (_, Some(1)) => Some(1),
                        (Some(min), Some(max)) if min == max => Some(*max),
                        _ => None,
                    };
                    if let Some(k) = fixed {
                        counts.sum_times(answered_at, u64::from(k), &cells);
                    }
                }
            } else if !cells.is_empty() {
                counts.sum(answered_at, &cells);
            }
            layouts.push((
                question,
                answers,
                multiple,
                answered_at,
                not_answered_at,
                cells,
            ));
        }
        // A required question shown only by an answer to a single choice or rating: as
        // many answered it as gave that answer.
        let mut follow_ups: Vec<(usize, &str, Vec<usize>)> = Vec::new();
        for (l, (question, ..)) in layouts.iter().enumerate() {
            if !question.required() {
                continue;
            }
            let page_condition = survey
                .pages()
                .iter()
                .find(|p| p.questions().iter().any(|q| q.id() == question.id()))
                .and_then(|p| p.visible_if());
            let condition = match (page_condition, question.visible_if()) {
                (Some(c), None) | (None, Some(c)) => c,
                _ => continue,
            };
            if let Some((shown_by_question, rows)) = shown_by(condition, &layouts) {
                follow_ups.push((l, shown_by_question, rows));
            }
        }
        for (l, shown_by_question, rows) in &follow_ups {
            let Some((_, answers, _, _, not_answered_at, cells)) =
                layouts.iter().find(|(q, ..)| q.id() == *shown_by_question)
            else {
                continue;
            };
            let parts: Vec<usize> = rows
                .iter()
                .map(|&r| {
                    if r < answers.len() {
                        cells[r]
                    } else {
                        *not_answered_at
                    }
                })
                .collect();
            counts.sum(layouts[*l].3, &parts);
        }
        let hidden = counts.protect(threshold, &[everyone_at], &[]);
        let shown = |i: usize| Shown::of(counts.value(i), hidden[i]);
        let by = self.by.as_deref().and_then(|by| {
            layouts.iter().find(|(q, ..)| q.id() == by).map(
                |(q, answers, _, _, not_answered_at, cells)| {
                    (*q, answers.clone(), *not_answered_at, cells.clone())
                },
            )
        });
        // Every breakdown in one table with the summary's own counts and sums: the
        // breakdowns share the `by` question's totals, and one read beside another, or
        // beside a question shown only by an answer, must give nothing away either. The
        // summary's counts stay as the summary shows or hides them.
        let mut cross: BTreeMap<&str, (Vec<String>, Vec<Vec<usize>>)> = BTreeMap::new();
        let mut joint = counts.clone();
        let columns: Option<Columns> = if let Some(matching) = self.split {
            // Those a filter matches and the rest: two new counts that add up to everyone.
            let matching_at = joint.count(matching);
            let rest_at = joint.count(everyone.saturating_sub(matching));
            joint.sum(everyone_at, &[matching_at, rest_at]);
            Some(Columns {
                keys: vec![MATCHING.to_owned(), THE_REST.to_owned()],
                labels: vec!["Matching the filters".to_owned(), "The rest".to_owned()],
                totals: vec![matching_at, rest_at],
                broken_by: None,
            })
        } else {
            by.as_ref().map(
                |(by_question, groups, by_not_answered_at, by_cells)| Columns {
                    keys: groups
                        .iter()
                        .map(|(v, _)| v.clone())
                        .chain([String::new()])
                        .collect(),
                    labels: groups
                        .iter()
                        .map(|(_, label)| label.clone())
                        .chain(["Not answered".to_owned()])
                        .collect(),
                    totals: by_cells
                        .iter()
                        .chain([by_not_answered_at])
                        .copied()
                        .collect(),
                    broken_by: Some(by_question.id()),
                },
            )
        };
        if let Some(Columns {
            keys,
            totals: column_totals,
            broken_by,
            ..
        }) = &columns
        {
            for (question, answers, _, _, not_answered_at, cells) in &layouts {
                if Some(question.id()) == *broken_by || !one_answer(question) || cells.is_empty() {
                    continue;
                }
                let rows: Vec<String> = answers
                    .iter()
                    .map(|(v, _)| v.clone())
                    .chain([String::new()])
                    .collect();
                let row_totals: Vec<usize> =
                    cells.iter().chain([not_answered_at]).copied().collect();
                let at: Vec<Vec<usize>> = rows
                    .iter()
                    .map(|r| {
                        keys.iter()
                            .map(|c| {
                                let key = (question.id().to_owned(), r.clone(), c.clone());
                                joint.count(self.pairs.get(&key).copied().unwrap_or(0))
                            })
                            .collect()
                    })
                    .collect();
                for (r, &total) in row_totals.iter().enumerate() {
                    joint.sum(total, &at[r]);
                }
                for (c, &total) in column_totals.iter().enumerate() {
                    let parts: Vec<usize> = at.iter().map(|row| row[c]).collect();
                    joint.sum(total, &parts);
                }
                cross.insert(question.id(), (rows, at));
            }
        }
        // In each column, how many answered each question broken down (its rows but "not
        // answered"): a count a reader works out from the column, so it is protected like
        // one; and a required question shown only by an answer was answered, in each
        // column, by as many as gave that answer there.
        let mut column_answered: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut unshown: Vec<usize> = Vec::new();
        let mut margins: Vec<usize> = Vec::new();
        if let Some(Columns {
            totals: column_totals,
            broken_by,
            ..
        }) = &columns
        {
            for (id, (_, at)) in &cross {
                let answered: Vec<usize> = (0..column_totals.len())
                    .map(|c| {
                        let parts: Vec<usize> =
                            at[..at.len() - 1].iter().map(|row| row[c]).collect();
                        let n = parts.iter().map(|&i| joint.value(i)).sum();
                        let answered_at = joint.count(n);
                        unshown.push(answered_at);
                        joint.sum(answered_at, &parts);
                        joint.sum(column_totals[c], &[answered_at, at[at.len() - 1][c]]);
                        answered_at
                    })
                    .collect();
                column_answered.insert(id, answered);
            }
            for (l, shown_by_question, rows) in &follow_ups {
                let Some(answered) = column_answered.get(layouts[*l].0.id()) else {
                    continue;
                };
                for (c, &answered_at) in answered.iter().enumerate() {
                    let parts: Vec<usize> = if let Some((_, at)) = cross.get(shown_by_question) {
                        rows.iter().map(|&r| at[r][c]).collect()
                    } else if *broken_by == Some(*shown_by_question) && rows.contains(&c) {
                        // The column is the answer that shows the question.
                        vec![column_totals[c]]
                    } else {
                        continue;
                    };
                    joint.sum(answered_at, &parts);
                }
            }
        }
        let joint_hidden = if cross.is_empty() {
            Vec::new()
        } else {
            let mut shown: Vec<usize> = (0..counts.len()).filter(|&i| !hidden[i]).collect();
            let mut kept_hidden: Vec<usize> = (0..counts.len()).filter(|&i| hidden[i]).collect();
            if let (Some(Columns { totals, .. }), Some(_)) = (&columns, self.split) {
                // How many a filter matches, as another table on the same page shows it.
                match self.matching_seen {
                    Some(true) => shown.push(totals[0]),
                    Some(false) => kept_hidden.push(totals[0]),
                    None => {}
                }
                // The rest are never shown; a reader works them out from the whole.
                margins.push(totals[1]);
                unshown.extend(
                    cross
                        .values()
                        .flat_map(|(_, at)| at.iter().map(|row| row[1])),
                );
            }
            joint.protect_with(threshold, &shown, &kept_hidden, &unshown, &margins)
        };
        let joint_shown = |i: usize| Shown::of(joint.value(i), joint_hidden[i]);
        let breakdown = |question: &voices_shared::Question| -> Option<Breakdown> {
            let Columns { labels, totals, .. } = columns.as_ref()?;
            let (_, at) = cross.get(question.id())?;
            Some(Breakdown {
                groups: labels.clone(),
                totals: totals.iter().map(|&i| joint_shown(i)).collect(),
                answered: column_answered
                    .get(question.id())
                    .map(|a| a.iter().map(|&i| joint_shown(i)).collect())
                    .unwrap_or_default(),
                rows: at
                    .iter()
                    .map(|row| row.iter().map(|&i| joint_shown(i)).collect())
                    .collect(),
            })
        };
        let by_named = by
            .as_ref()
            .map(|(q, ..)| (q.id().to_owned(), q.label().default_text().to_owned()));
        let questions = layouts
            .into_iter()
            .map(
                |(question, answers, multiple, answered_at, not_answered_at, cells)| {
                    let broken_down = breakdown(question);
                    let mut rows: Vec<AnswerCount> = answers
                        .into_iter()
                        .zip(&cells)
                        .map(|((value, label), &i)| AnswerCount {
                            value,
                            label,
                            count: shown(i),
                        })
                        .collect();
                    if !multiple && !rows.is_empty() {
                        rows.push(AnswerCount {
                            value: String::new(),
                            label: "Not answered".to_owned(),
                            count: shown(not_answered_at),
                        });
                    }
                    QuestionSummary {
                        id: question.id().to_owned(),
                        label: question.label().default_text().to_owned(),
                        multiple,
                        answers: rows,
                        answered: shown(answered_at),
                        breakdown: broken_down,
                        details: self
                            .details
                            .get(question.id())
                            .map(|(listed, _)| listed.clone())
                            .unwrap_or_default(),
                        more_details: self.details.get(question.id()).map_or(0, |(_, more)| *more),
                    }
                },
            )
            .collect();
        Summary {
            respondents: Shown::Count(everyone),
            threshold,
            questions,
            by: by_named,
        }
    }
}

/// The columns of every breakdown in a summary: their keys in the tally's pairs, their
/// labels, where their totals are in the joint table, and the question they break the
/// others down by (which is not broken down itself), if it is one.
struct Columns<'s> {
    keys: Vec<String>,
    labels: Vec<String>,
    totals: Vec<usize>,
    broken_by: Option<&'s str>,
}

/// A question's layout in the joint table: the question, its answers (value, label),
/// whether several may be chosen, and where its answered, not answered and answer counts are.
type Layout<'s> = (
    &'s voices_shared::Question,
    Vec<(String, String)>,
    bool,
    usize,
    usize,
    Vec<usize>,
);

/// Whether an answer (or none) makes a condition hold.
type AnswerTest = Box<dyn Fn(Option<&str>) -> bool>;

/// The single choice or rating whose answers make `condition` hold, when it is that
/// simple (an answer, or any of some, answered or not, or not one of those), and which of
/// its rows do: an answer's place among its answers, or their number for "not answered".
fn shown_by<'c>(condition: &'c Condition, layouts: &[Layout]) -> Option<(&'c str, Vec<usize>)> {
    let (negated, inner) = match condition {
        Condition::Not(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let (question, holds): (&str, AnswerTest) = match inner {
        Condition::Equals { question, value } => {
            let wanted = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            (
                question,
                Box::new(move |v: Option<&str>| v == Some(wanted.as_str())),
            )
        }
        Condition::AnyOf { question, values } => {
            let values = values.clone();
            (
                question,
                Box::new(move |v: Option<&str>| v.is_some_and(|v| values.iter().any(|w| w == v))),
            )
        }
        Condition::Answered { question, answered } => {
            let answered = *answered;
            (
                question,
                Box::new(move |v: Option<&str>| v.is_some() == answered),
            )
        }
        _ => return None,
    };
    let (_, answers, multiple, _, not_answered_at, cells) =
        layouts.iter().find(|(q, ..)| q.id() == question)?;
    if *multiple || cells.is_empty() {
        return None;
    }
    let _ = not_answered_at;
    let mut rows: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, (value, _))| holds(Some(value)) != negated)
        .map(|(k, _)| k)
        .collect();
    if holds(None) != negated {
        rows.push(answers.len());
    }
    Some((question, rows))
}

/// The answers of `answer` that `question`, as the newest version asks it, offers, as
/// their places in its [`answer_values`]: one for a single choice or a rating, the
/// distinct offered ones for a multiple choice, none for anything else.
pub(crate) fn counted_places(question: &voices_shared::Question, answer: &Value) -> Vec<usize> {
    let offered = |value: &str| question.options().iter().position(|o| o.value() == value);
    match (question.kind(), answer) {
        (QuestionKind::SingleChoice { .. }, Value::String(value)) => {
            offered(value).into_iter().collect()
        }
        (QuestionKind::Rating { min, max, .. }, _) => {
            let n = match answer {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            n.filter(|n| (u64::from(*min)..=u64::from(*max)).contains(n))
                .and_then(|n| usize::try_from(n - u64::from(*min)).ok())
                .into_iter()
                .collect()
        }
        (QuestionKind::MultipleChoice { .. }, Value::Array(values)) => {
            let mut chosen: Vec<usize> = Vec::new();
            for at in values.iter().filter_map(Value::as_str).filter_map(offered) {
                if !chosen.contains(&at) {
                    chosen.push(at);
                }
            }
            chosen
        }
        _ => Vec::new(),
    }
}

/// Whether a response whose answer to `question` is `answer` counts as having answered
/// it, given whether any of its answers are counted ([`counted_places`]): a choice or
/// rating only with an answer the newest version offers, so that its rows add up to
/// those who answered it.
pub(crate) fn counts_as_answered(
    question: &voices_shared::Question,
    answer: Option<&Value>,
    any_counted: bool,
) -> bool {
    match question.kind() {
        QuestionKind::SingleChoice { .. }
        | QuestionKind::MultipleChoice { .. }
        | QuestionKind::Rating { .. } => any_counted,
        _ => answer.is_some(),
    }
}

/// The answer at `place` in `question`'s [`answer_values`], as written there.
fn answer_value(question: &voices_shared::Question, place: usize) -> String {
    match question.kind() {
        QuestionKind::Rating { min, .. } => (u64::from(*min) + place as u64).to_string(),
        _ => question
            .options()
            .get(place)
            .map(|o| o.value().to_owned())
            .unwrap_or_default(),
    }
}

/// The answers of `answer` that `question` counts ([`counted_places`]), as it writes them
/// (a rating's number as digits).
fn counted_answers(question: &voices_shared::Question, answer: &Value) -> Vec<String> {
    counted_places(question, answer)
        .into_iter()
        .map(|place| answer_value(question, place))
        .collect()
}

/// What a response wrote for each "please specify" answer it chose that the newest
/// version still offers, by question id, trimmed; blank ones left out.
pub(crate) fn written_details<'a>(
    survey: &'a Survey,
    answers: &voices_shared::Answers,
    specify: &'a voices_shared::SpecifyTexts,
) -> Vec<(&'a str, &'a str)> {
    specify
        .iter()
        .filter_map(|(id, text)| {
            let question = survey.question(id)?;
            let option = question.specify_option()?;
            let chosen = answers.get(id).is_some_and(|a| {
                counted_answers(question, a)
                    .iter()
                    .any(|v| v == option.value())
            });
            let text = text.trim();
            (chosen && !text.is_empty()).then_some((question.id(), text))
        })
        .collect()
}

/// The threshold below which a survey's counts are hidden: its own, or the default, and
/// never below the minimum.
pub fn threshold_of(survey: &Survey) -> u64 {
    survey
        .suppress_below()
        .map_or(DEFAULT_THRESHOLD, u64::from)
        .max(MIN_THRESHOLD)
}

/// Whether a one-way table shown as `shown` (its rows, adding up to everyone, who are
/// shown) can also show the sum of the rows `rows` marks (each row's count, and whether
/// it is in the sum) without giving away a row it hides, or showing a small number.
pub fn sum_can_show(shown: &[Shown], rows: &[(u64, bool)], threshold: u64) -> bool {
    let values: Vec<u64> = rows.iter().map(|(n, _)| *n).collect();
    let (mut counts, total) = crate::disclosure::one_way(&values);
    let picked: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].1).collect();
    let sum_at = counts.count(picked.iter().map(|&i| values[i]).sum());
    counts.sum(sum_at, &picked);
    let seen: Vec<usize> = (0..rows.len())
        .filter(|&i| shown[i] != Shown::Hidden)
        .chain([total])
        .collect();
    let hidden: Vec<usize> = (0..rows.len())
        .filter(|&i| shown[i] == Shown::Hidden)
        .collect();
    !counts.protect(threshold, &seen, &hidden)[sum_at]
}

/// A table of `rows` that adds up to everyone (who are always shown), protected on its
/// own: by channel, by day.
pub fn protect_one_way<K>(rows: Vec<(K, u64)>, threshold: u64) -> Vec<(K, Shown)> {
    let values: Vec<u64> = rows.iter().map(|(_, n)| *n).collect();
    let (counts, total) = crate::disclosure::one_way(&values);
    let hidden = counts.protect(threshold, &[total], &[]);
    rows.into_iter()
        .zip(hidden)
        .map(|((key, n), hidden)| (key, Shown::of(n, hidden)))
        .collect()
}

/// A count for a file: the number, or `*` when hidden.
fn cell(count: Shown) -> String {
    match count {
        Shown::Count(n) => n.to_string(),
        Shown::Hidden => "*".to_owned(),
    }
}

/// A share for a file: one decimal place, or `*` when hidden.
fn share(count: Shown, of: Shown) -> String {
    match count.percent_of(of) {
        Some(p) => format!("{p:.1}"),
        None if count == Shown::Hidden || of == Shown::Hidden => "*".to_owned(),
        None => String::new(),
    }
}

/// The summary's rows as a file has them: question id, question, answer value, answer,
/// count, per cent of everyone who responded.
fn rows(summary: &Summary) -> Vec<[String; 6]> {
    let mut rows = vec![[
        String::new(),
        "Everyone who responded".to_owned(),
        String::new(),
        String::new(),
        cell(summary.respondents),
        share(summary.respondents, summary.respondents),
    ]];
    for question in &summary.questions {
        rows.push([
            question.id.clone(),
            question.label.clone(),
            String::new(),
            "Answered".to_owned(),
            cell(question.answered),
            share(question.answered, summary.respondents),
        ]);
        for answer in &question.answers {
            rows.push([
                question.id.clone(),
                question.label.clone(),
                answer.value.clone(),
                answer.label.clone(),
                cell(answer.count),
                share(answer.count, summary.respondents),
            ]);
        }
    }
    rows
}

const HEADERS: [&str; 6] = [
    "question_id",
    "question",
    "answer_value",
    "answer",
    "count",
    "percent_of_everyone",
];

/// The summary as CSV for Excel: a byte-order mark (so Excel reads UTF-8), and no cell
/// that Excel would take for a formula.
pub fn write_csv(summary: &Summary) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(HEADERS)?;
        for row in rows(summary) {
            writer.write_record(
                row.iter()
                    .map(|c| crate::export::neutralise(c).into_owned()),
            )?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// The summary as an XLSX workbook: counts as numbers, hidden ones as `*`.
pub fn write_xlsx(summary: &Summary) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Summary")?;
    for (column, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &bold)?;
    }
    for (r, row) in rows(summary).iter().enumerate() {
        let r = r as u32 + 1;
        for (column, text) in row.iter().enumerate() {
            let column = column as u16;
            match text.parse::<f64>() {
                Ok(n) if column >= 4 => sheet.write_number(r, column, n)?,
                _ => sheet.write_string(r, column, crate::export::excel_text(text))?,
            };
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The running counts keep each answer by its place: the place must name the answer
    /// the summary lists there, for every question of every example survey.
    #[test]
    fn every_answer_place_names_the_answer_listed_there() {
        let examples = [
            include_str!("../../examples/surveys/engagement-2026.json"),
            include_str!("../../examples/surveys/community-transport.json"),
            include_str!("../../examples/surveys/help-at-home.json"),
        ];
        let mut places = 0;
        for json in examples {
            let survey = Survey::parse(json).expect("an example survey");
            for question in survey.questions() {
                let values = answer_values(question);
                assert_eq!(answer_places(question), values.len(), "{}", question.id());
                for (place, (value, _)) in values.iter().enumerate() {
                    assert_eq!(&answer_value(question, place), value, "{}", question.id());
                }
                places += values.len();
            }
        }
        assert!(places > 50, "only {places} answers in the examples");
    }
}
