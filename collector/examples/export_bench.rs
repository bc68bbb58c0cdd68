//! The export benchmark's worker for `cargo xtask bench`: seeds a store with engagement-2026 responses, or times one scan or export of it.
//!
//! ```text
//! export_bench seed DIR N   # a store in DIR with N responses (kept and reused if it has them)
//! export_bench open DIR     # open the store and read the definitions, nothing else
//! export_bench scan DIR     # read and decode every response, nothing else: the floor
//! export_bench csv DIR      # the CSV export, written to io::sink
//! export_bench xlsx DIR     # the XLSX export, written to io::sink
//! export_bench dashboard DIR       # the staff dashboard's counts, from the store's tallies
//! export_bench dashboard-scan DIR  # the same counts from decoding every response (the old way)
//! export_bench day-csv DIR         # a CSV export of one day (DAY), through the time index
//! export_bench day-csv-scan DIR    # the same day's CSV from a scan of every response (the old way)
//! export_bench summary-scan DIR    # the summary page's counts from every response read (the old way)
//! export_bench summary-cold DIR    # every response counted into the kept counts (at start-up)
//! export_bench reach DIR           # the reach page's counts, kept up to date, after 1,000 new
//!                                  # responses (which are then erased again)
//! ```
//!
//! Each timing runs in its own process so that its peak RSS (`VmHWM`) is its
//! own; it ends with one line `rows=R seconds=S cpu_seconds=C peak_rss_kib=K`
//! for the bench to read. Seeding ends with `seeded=N seconds=S`, or `reused=N`.
//!
//! DIR may instead be a PostgreSQL database, `postgres://USER@HOST:PORT/DB`: seeded
//! there (if it holds no responses yet) and read from there.

use std::fs;
use std::hint::black_box;
use std::io;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use time::OffsetDateTime;
use voices_collector::catalog::Catalog;
use voices_collector::export::{self, ExportOptions, Format};
use voices_collector::receipt::Receipt;
use voices_collector::running_counts::RunningCounts;
use voices_collector::staff::counts;
use voices_collector::staff::summary_pages::{Reach, ReachQuery};
use voices_collector::store::{InsertOutcome, Store, StoreLocation, StoredResponse};
use voices_collector::summary::{summarise, summarise_counted};
use voices_shared::{Submission, Survey};

const SURVEY: &str = include_str!("../../examples/surveys/engagement-2026.json");
const SURVEY_ID: &str = "engagement-2026";
/// Written in the data directory once the store holds N responses, flushed.
const SEEDED: &str = "seeded";
/// The layout a seeding writes, kept in the `seeded` marker with the count: a store
/// seeded in an earlier layout is seeded again. Moved on with every change of the sled
/// store's layout (5: format 4, responses keyed by time, receipts in buckets).
const LAYOUT: u32 = 5;
/// The day the one-day exports ask for: the second day of the seeded responses,
/// whole in every seeded store of 20,000 or more (one response every 20 s).
const DAY: &str = "2026-01-02";
/// Responses that arrive between two views of the reach page, in its benchmark.
const ARRIVING: usize = 1_000;

fn main() -> Result<()> {
    // As `voices-collector` does, whose `export` command this stands for.
    // SAFETY: first thing in `main`, before any other thread.
    unsafe { voices_collector::process_memory::hold_memory_compactly() };
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["seed", dir, n] => {
            let n: u64 = n
                .parse()
                .with_context(|| format!("N must be a whole number, not {n:?}"))?;
            seed(&location(dir)?, n)
        }
        ["floor", dir] => floor(Path::new(dir)),
        [
            mode @ ("open" | "scan" | "csv" | "xlsx" | "dashboard" | "dashboard-scan" | "day-csv"
            | "day-csv-scan" | "summary-scan" | "summary-cold" | "reach"),
            dir,
        ] => time_one(mode, &location(dir)?),
        _ => bail!(
            "usage: export_bench seed DIR N | export_bench floor|open|scan|csv|xlsx|dashboard|dashboard-scan|day-csv|day-csv-scan|summary-scan|summary-cold|reach DIR"
        ),
    }
}

/// A data directory, or a database given by its URL.
fn location(arg: &str) -> Result<StoreLocation> {
    if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
        StoreLocation::postgres(arg).map_err(|reason| anyhow::anyhow!("{reason}"))
    } else {
        Ok(StoreLocation::Directory(arg.into()))
    }
}

/// Responses stored per call when seeding: one transaction each on PostgreSQL.
const SEED_BATCH: u64 = 1_000;

fn seed(location: &StoreLocation, n: u64) -> Result<()> {
    match location {
        StoreLocation::Directory(dir) => {
            let marker = dir.join(SEEDED);
            if fs::read_to_string(&marker).is_ok_and(|text| text.trim() == marker_text(n)) {
                println!("reused={n}");
                return Ok(());
            }
            if dir.exists() {
                fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
            }
        }
        StoreLocation::Postgres(_) => {
            let store = location.open()?;
            let count = store.response_count(SURVEY_ID)?;
            if count == n {
                println!("reused={n}");
                return Ok(());
            }
            if count != 0 {
                bail!(
                    "{location} holds {count} responses, not {n}: give an empty database to seed"
                );
            }
        }
    }
    let started = Instant::now();
    let survey = Survey::parse(SURVEY).map_err(|problems| anyhow::anyhow!("{problems}"))?;
    let opened = location.open()?;
    let store = opened.as_ref();
    let catalog = Catalog::load(store)?;
    catalog.publish(store, survey.clone())?;
    let first = OffsetDateTime::from_unix_timestamp(1_767_225_600)?; // 2026-01-01T00:00:00Z
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut batch = Vec::new();
    for i in 0..n {
        let body = answers(&mut random);
        let submission: Submission = serde_json::from_value(body.clone())?;
        let valid = survey.accept(submission).map_err(|problems| {
            anyhow::anyhow!("generated an invalid response {body}: {problems:?}")
        })?;
        // A response every 20 s: a million span about seven and a half months.
        let at = first + time::Duration::seconds(i64::try_from(i)? * 20);
        // The receipt the collector offers first, as it would have stored them.
        let receipt = store.first_receipt(SURVEY_ID, valid.submission_id());
        batch.push(StoredResponse::new(SURVEY_ID, valid, receipt, at));
        if batch.len() as u64 == SEED_BATCH || i + 1 == n {
            store_batch(store, std::mem::take(&mut batch))?;
        }
        if (i + 1) % 100_000 == 0 {
            println!("seeded {} of {n}", i + 1);
        }
    }
    store.flush()?;
    let count = store.response_count(SURVEY_ID)?;
    if count != n {
        bail!("the store holds {count} responses, not {n}");
    }
    if let StoreLocation::Directory(dir) = location {
        fs::write(dir.join(SEEDED), marker_text(n))?;
    }
    println!("seeded={n} seconds={:.1}", started.elapsed().as_secs_f64());
    Ok(())
}

/// What the `seeded` marker says of a store of `n` responses in [`LAYOUT`].
fn marker_text(n: u64) -> String {
    format!("{n} responses, layout {LAYOUT}")
}

/// Stores fresh responses, drawing another receipt for any whose receipt is taken.
fn store_batch(store: &dyn Store, mut batch: Vec<StoredResponse>) -> Result<()> {
    while !batch.is_empty() {
        let outcomes = store.insert_responses(&batch);
        let mut again = Vec::new();
        for (mut response, outcome) in batch.into_iter().zip(outcomes) {
            match outcome? {
                InsertOutcome::Inserted => {}
                InsertOutcome::ReceiptTaken => {
                    response.receipt = Receipt::generate();
                    again.push(response);
                }
                InsertOutcome::AlreadyStored(_) | InsertOutcome::Erased => {
                    bail!("a fresh submission id was already stored")
                }
            }
        }
        batch = again;
    }
    Ok(())
}

/// sled's own scan of the seeded data directory: every response's bytes, nothing
/// decoded (the floor the export is held to).
fn floor(dir: &Path) -> Result<()> {
    if !dir.join(SEEDED).is_file() {
        bail!(
            "{} is not seeded; run `export_bench seed` first",
            dir.display()
        );
    }
    let store = voices_collector::store::open(dir)?;
    let cpu_before = cpu_seconds()?;
    let started = Instant::now();
    let (rows, bytes) = store.read_stored_bytes(SURVEY_ID)?;
    black_box(bytes);
    report(rows, started, cpu_before)
}

/// The line `cargo xtask bench` reads: rows, wall-clock and CPU seconds since `started`
/// (and `cpu_before`), and the process's peak memory.
fn report(rows: u64, started: Instant, cpu_before: f64) -> Result<()> {
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds()? - cpu_before;
    println!(
        "rows={rows} seconds={seconds:.6} cpu_seconds={cpu:.6} peak_rss_kib={}",
        peak_rss_kib()?
    );
    Ok(())
}

fn time_one(mode: &str, location: &StoreLocation) -> Result<()> {
    let seeded = match location {
        StoreLocation::Directory(dir) => dir.join(SEEDED).is_file(),
        StoreLocation::Postgres(_) => true,
    };
    let opened = match location.open_existing()? {
        Some(store) if seeded => store,
        _ => bail!("{location} is not seeded; run `export_bench seed` first"),
    };
    let store = opened.as_ref();
    let catalog = Catalog::load(store)?;
    let versions: Vec<_> = catalog
        .all()
        .into_iter()
        .filter(|p| p.survey.id() == SURVEY_ID)
        .collect();
    let surveys: Vec<&Survey> = versions.iter().map(|p| &p.survey).collect();
    let mut cpu_before = cpu_seconds()?;
    let mut started = Instant::now();
    let newest = surveys
        .last()
        .copied()
        .context("the seeded store has no survey")?;
    let rows = match mode {
        "open" => 0,
        "scan" => {
            let mut rows = 0u64;
            for response in store.responses(SURVEY_ID) {
                black_box(response?);
                rows += 1;
            }
            rows
        }
        "csv" => export::write(
            Format::Csv,
            io::sink(),
            &surveys,
            &ExportOptions::default(),
            store.responses(SURVEY_ID),
        )?,
        "xlsx" => export::write(
            Format::Xlsx,
            io::sink(),
            &surveys,
            &ExportOptions::default(),
            store.responses(SURVEY_ID),
        )?,
        "dashboard" => {
            let counts = counts::count(store, SURVEY_ID, OffsetDateTime::now_utc())?;
            black_box(&counts);
            counts.total
        }
        "dashboard-scan" => {
            // What the dashboard did before the store kept counts: every response decoded.
            let mut by_channel = std::collections::BTreeMap::new();
            let mut rows = 0u64;
            for response in store.responses(SURVEY_ID) {
                *by_channel.entry(response?.channel.as_str()).or_insert(0u64) += 1;
                rows += 1;
            }
            black_box(by_channel);
            rows
        }
        "day-csv" | "day-csv-scan" => {
            let options = ExportOptions::parse(Some(DAY), Some(DAY), None, None)?;
            // Before the time index, every response was read and the day's kept.
            let responses = if mode == "day-csv" {
                options.read(store, SURVEY_ID)
            } else {
                store.responses(SURVEY_ID)
            };
            export::write(Format::Csv, io::sink(), &surveys, &options, responses)?
        }
        "summary-scan" => {
            let summary = summarise(store, newest)?;
            black_box(&summary);
            store.response_count(SURVEY_ID)?
        }
        "summary-cold" => {
            let counts = RunningCounts::default();
            black_box(counts.read(store, newest, summarise_counted)?);
            store.response_count(SURVEY_ID)?
        }
        "reach" => {
            // Counted once, as the collector does in the background when it starts.
            let counts = RunningCounts::default();
            counts.read(store, newest, |_| ())?;
            // Then 1,000 people answer before staff open the page again.
            let mut random = Random(0xC0FF_EE00_D15E_A5E5);
            let mut receipts = Vec::new();
            for _ in 0..ARRIVING {
                let body = answers(&mut random);
                let valid = newest
                    .accept(serde_json::from_value(body)?)
                    .map_err(|problems| anyhow::anyhow!("an invalid response: {problems:?}"))?;
                let response = StoredResponse::new(
                    SURVEY_ID,
                    valid,
                    Receipt::generate(),
                    OffsetDateTime::now_utc(),
                );
                if store.insert_response(&response)? == InsertOutcome::Inserted {
                    receipts.push(response.receipt);
                }
            }
            store.flush()?;
            // What the reach page works out: the counts brought up to date, every
            // response's summary, and a filter's (face to face) protected with it.
            cpu_before = cpu_seconds()?;
            started = Instant::now();
            let query = ReachQuery {
                channel: Some("face_to_face".to_owned()),
                ..ReachQuery::default()
            };
            let pages = counts.read(store, newest, |counted| {
                Reach::of(counted, &query, true, None)
            })?;
            black_box(pages);
            let seconds = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds()? - cpu_before;
            // The store goes back to its N responses for the next run.
            for receipt in &receipts {
                counts.erase(store, receipt.as_str())?;
            }
            store.flush()?;
            println!(
                "rows={} seconds={seconds:.6} cpu_seconds={cpu:.6} peak_rss_kib={}",
                receipts.len(),
                peak_rss_kib()?
            );
            return Ok(());
        }
        other => bail!("no such mode {other}"),
    };
    report(rows, started, cpu_before)
}

/// CPU time the process has used, all threads, user and system: another
/// process's load on the machine changes it much less than wall-clock time.
#[cfg(unix)]
fn cpu_seconds() -> Result<f64> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime(2) writes one timespec through a valid pointer.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    if status != 0 {
        bail!(
            "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed: {}",
            io::Error::last_os_error()
        );
    }
    Ok(now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9)
}

#[cfg(not(unix))]
fn cpu_seconds() -> Result<f64> {
    bail!("the export benchmark measures CPU time on Linux only")
}

/// The process's peak resident set so far, from /proc/self/status.
fn peak_rss_kib() -> Result<u64> {
    let status = fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("/proc/self/status has no VmHWM")
}

/// xorshift64*: a small, seeded generator, so every seeded store has the same answers.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// Between `min` and `max` distinct items, in the list's order.
    fn some<'a>(&mut self, items: &[&'a str], min: usize, max: usize) -> Vec<&'a str> {
        let wanted = min + self.below(max - min + 1);
        let mut chosen = vec![false; items.len()];
        let mut count = 0;
        while count < wanted.min(items.len()) {
            let i = self.below(items.len());
            if !chosen[i] {
                chosen[i] = true;
                count += 1;
            }
        }
        items
            .iter()
            .zip(chosen)
            .filter_map(|(item, chosen)| chosen.then_some(*item))
            .collect()
    }
}

const COMMENTS: [&str; 12] = [
    "Thank you for asking.",
    "I found out about this survey from the carers' centre.\n\nThe evening sessions at the library are the only ones I can get to — please keep them going, and say what changed afterwards.",
    "Large print letters would help my mum take part. She does not use the internet.",
    "The last consultation felt rushed:\n- the papers arrived the day before\n- there was no time for questions\nMore notice next time, please.",
    "Please hold events somewhere with a lift and a hearing loop.",
    "Dziękuję. Proszę o informacje po polsku, mój angielski nie jest dobry.",
    "شكراً لكم. أحتاج إلى مترجم في الاجتماعات.",
    "Tha e math gun do dh'fhaighnich sibh. Bhiodh fiosrachadh sa Ghàidhlig feumail.",
    "More buses on a Sunday would make all the difference 🚌",
    "I care for my husband full time, so anything online that I can do at night suits me best.",
    "Nobody told us what happened after the last survey. Why should we fill in another one?",
    "Good to see the partnership asking. The drop-in at the community centre was friendly and well run, and I would go again.",
];
const PLACES: [&str; 6] = [
    "The library on the high street",
    "The community centre near the shops",
    "My GP practice",
    "The carers centre",
    "Somewhere on the bus route, with parking",
    "At home, if someone could visit",
];
const SPECIFY: [&str; 5] = [
    "I help run a lunch club for older people",
    "Community councillor",
    "I volunteer at the food bank on Saturdays",
    "A WhatsApp group run by my GP practice",
    "Through my church",
];
const SUPPORT: [&str; 4] = [
    "An evening or weekend session.",
    "Help with the bus fare would make a difference.",
    "Someone to sit with my husband while I am out.",
    "Papers in plain English, sent a week before.",
];

/// One respondent's answers, shaped like real ones: required questions
/// always, optional ones often, follow-ups when earlier answers reveal them.
fn answers(random: &mut Random) -> Value {
    let locale = match random.below(100) {
        0..80 => "en",
        80..92 => "pl",
        _ => "ar",
    };
    let channel = match random.below(100) {
        0..85 => "online",
        85..93 => "face_to_face",
        93..97 => "phone",
        _ => "paper",
    };
    let mut answers = json!({});
    let mut specify = json!({});
    let connection = random.some(
        &[
            "uses_services",
            "carer",
            "family",
            "works",
            "resident",
            "other",
        ],
        1,
        3,
    );
    if connection.contains(&"other") {
        specify["connection"] = json!(random.pick(&SPECIFY));
    }
    answers["connection"] = json!(connection);
    answers["locality"] = json!(random.pick(&[
        "coldside",
        "east_end",
        "lochee",
        "maryfield",
        "north_east",
        "strathmartine",
        "the_ferry",
        "west_end",
        "outside",
        "prefer_not",
    ]));
    let ways = random.some(
        &[
            "face_to_face",
            "phone",
            "online",
            "email",
            "letter",
            "group",
            "other",
        ],
        1,
        3,
    );
    if ways.contains(&"face_to_face") && random.chance(50) {
        answers["face_to_face_where"] = json!(random.pick(&PLACES));
    }
    if ways.contains(&"other") {
        specify["ways"] = json!(random.pick(&SPECIFY));
    }
    answers["ways"] = json!(ways);
    if random.chance(50) {
        if random.chance(25) {
            answers["barriers"] = json!(["none"]);
        } else {
            answers["barriers"] = json!(random.some(
                &[
                    "transport",
                    "times",
                    "caring",
                    "access",
                    "language",
                    "digital",
                    "cost",
                    "confidence"
                ],
                1,
                3,
            ));
            if random.chance(60) {
                answers["support"] = json!(random.pick(&SUPPORT));
            }
        }
    }
    let heard_back = random.pick(&["always", "sometimes", "never", "not_given"]);
    answers["heard_back"] = json!(heard_back);
    if heard_back != "not_given" && random.chance(80) {
        answers["informed"] = json!(1 + random.below(5));
    }
    if random.chance(70) {
        answers["times_taken_part"] = json!(random.below(21));
    }
    if random.chance(40) {
        answers["event_date"] = json!(format!(
            "{}-{:02}-{:02}",
            2024 + random.below(3),
            1 + random.below(12),
            1 + random.below(28)
        ));
    }
    if random.chance(60) {
        answers["hear_back_how"] = if random.chance(15) {
            json!(["no_thanks"])
        } else {
            json!(random.some(
                &["letter", "email", "website", "newsletter", "meeting"],
                1,
                3
            ))
        };
    }
    if random.chance(40) {
        answers["comments"] = json!(random.pick(&COMMENTS));
    }
    if random.chance(80) {
        answers["age_band"] = json!(random.pick(&[
            "under_16",
            "16_24",
            "25_44",
            "45_64",
            "65_74",
            "75_plus",
            "prefer_not",
        ]));
    }
    answers["agree"] = json!(true);
    json!({
        "submission_id": uuid::Uuid::new_v4(),
        "survey_version": 1,
        "locale": locale,
        "channel": channel,
        "answers": answers,
        "specify": specify,
    })
}
