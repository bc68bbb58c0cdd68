//! The command line: `serve`, `survey check`, `survey publish`, `export`, `user add`, `token create|revoke` and `migrate`.
//!
//! Every flag has an environment twin (`VOICES_ADDR`, `VOICES_DATA`, ...). Every command
//! that uses a store takes `--data DIR` (a sled data directory, the default) or
//! `--store postgres://...` (a PostgreSQL database).
//! Exit codes: 0 done, 1 bad input (a survey file, a survey id; for `migrate`, records
//! the database holds otherwise), 2 the collector could not run (data directory, address,
//! disk; for `migrate`, records that could not be read).

use std::fs;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use voices_shared::Survey;

use crate::assets::Assets;
use crate::catalog::Catalog;
use std::io::IsTerminal;

use time::OffsetDateTime;

use crate::export::{self, Format};
use crate::mail;
use crate::migrate;
use crate::retention;
use crate::serving;
use crate::staff::actions::{self, AccountError};
use crate::staff::credentials::MIN_PASSWORD_CHARS;
use crate::store::{self, PublishOutcome, Role, Store, StoreLocation};
use crate::{AppState, Config, app};

#[derive(Debug, Parser)]
#[command(
    name = "voices-collector",
    version,
    about = "Collects survey responses from the Voices widget, durably and once each"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the widget, the survey API and the hosted survey pages.
    Serve(ServeArgs),
    /// Check or publish survey definitions.
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// Write a survey's responses to a file or standard output.
    Export(ExportArgs),
    /// Manage staff who sign in on /admin.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage bearer tokens for scripts that use /api/admin.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Move a data directory into a PostgreSQL database: surveys, responses, erased
    /// submission ids, updates, staff, tokens, subscriptions and the audit log. Safe to run
    /// again: what is there already is not moved twice, and nothing is overwritten.
    Migrate(MigrateArgs),
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    /// The data directory to move out of: the --data the collector served from. No
    /// collector may be serving from it meanwhile.
    #[arg(long, env = "VOICES_DATA", value_name = "DIR")]
    from: PathBuf,
    /// The database to move into: postgres://USER@HOST:PORT/DATABASE, the password in
    /// PGPASSWORD (or in the URL). Its tables are made if missing.
    // Read as text and checked by `StoreLocation::postgres`, as --store is.
    #[arg(long, env = "VOICES_STORE", value_name = "URL", hide_env_values = true)]
    to: String,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a member of staff, or set a new password and role for one. Reads the password from standard input.
    Add {
        /// The user name they sign in with.
        name: String,
        #[command(flatten)]
        data: DataArg,
        /// analyst (the default for someone new), admin or interviewer. Left out for someone
        /// who exists, they keep their role and surveys: a new password changes nothing else.
        #[arg(long, env = "VOICES_ROLE", value_enum)]
        role: Option<Role>,
        /// With `--role interviewer`: a survey they collect responses for (repeat for more).
        #[arg(long = "survey", value_name = "SURVEY_ID")]
        surveys: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token (or replace one of the same name) and print it once.
    Create {
        /// A name saying what the token is for, like "nightly-report".
        name: String,
        #[command(flatten)]
        data: DataArg,
        #[arg(long, env = "VOICES_ROLE", value_enum, default_value = "analyst")]
        role: Role,
    },
    /// Revoke a token: requests with it are refused from now on.
    Revoke {
        name: String,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Debug, clap::Args)]
struct DataArg {
    /// The data directory (`serve` and `survey publish` create it if missing).
    #[arg(
        long,
        env = "VOICES_DATA",
        default_value = "./voices-data",
        value_name = "DIR"
    )]
    data: PathBuf,
    /// Keep the data in a PostgreSQL database instead of a data directory:
    /// postgres://USER@HOST:PORT/DATABASE, the password in PGPASSWORD (or in the URL).
    /// `serve` and `survey publish` create its tables if missing.
    // Read as text and checked by `location`: clap would repeat a refused value, password
    // and all, and `--help` would show the environment's.
    #[arg(
        long,
        env = "VOICES_STORE",
        value_name = "URL",
        conflicts_with = "data",
        hide_env_values = true
    )]
    store: Option<String>,
}

impl DataArg {
    /// Where the data is: the database given with `--store`, else the data directory.
    fn location(&self) -> Result<StoreLocation, Failure> {
        match &self.store {
            Some(url) => StoreLocation::postgres(url)
                .map_err(|reason| Failure::Input(format!("--store (VOICES_STORE): {reason}"))),
            None => Ok(StoreLocation::Directory(self.data.clone())),
        }
    }
}

/// A store's place as the command line's messages name it: a data directory by its path,
/// as it was given, a database by its URL without a password.
fn named(location: &StoreLocation) -> String {
    match location {
        StoreLocation::Directory(dir) => dir.display().to_string(),
        StoreLocation::Postgres(_) => location.to_string(),
    }
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "VOICES_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    data: DataArg,
    /// Publish every *.json survey definition in this directory at start-up.
    #[arg(long, env = "VOICES_SURVEYS", value_name = "DIR")]
    surveys: Option<PathBuf>,
    /// Submissions per minute from one client address, with a burst of the same size; 0 turns it off.
    #[arg(
        long,
        env = "VOICES_RATE_LIMIT",
        default_value_t = 60,
        value_name = "PER_MINUTE"
    )]
    rate_limit: u32,
    /// Take the client address from X-Forwarded-For (only behind your own reverse proxy).
    #[arg(long, env = "VOICES_BEHIND_PROXY")]
    behind_proxy: bool,
    /// Also serve /demo, a partner page that embeds an example survey.
    #[arg(long, env = "VOICES_DEMO")]
    demo: bool,
    /// Browsers reach the collector over HTTPS (usually through your own TLS proxy):
    /// staff cookies get `Secure` and a `__Host-` name.
    #[arg(long, env = "VOICES_BEHIND_TLS")]
    behind_tls: bool,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "VOICES_BODY_LIMIT", default_value_t = 64 * 1024, value_name = "BYTES")]
    body_limit: usize,
    /// Seconds a client has to send a request's headers, from when it connects
    /// or its previous response was sent: also how long an idle connection stays open.
    #[arg(long, env = "VOICES_HEADER_TIMEOUT", default_value_t = 10, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a client has to send a request's body, on every route.
    #[arg(long, env = "VOICES_BODY_TIMEOUT", default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Connections open at once; more wait to be accepted (lowered to fit `ulimit -n`).
    #[arg(long, env = "VOICES_MAX_CONNECTIONS", default_value_t = 512, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
    /// Seconds a person takes at least from a survey's first screen to Send, when answering
    /// without JavaScript: a form sent faster is taken for a program's, and not stored.
    #[arg(long, env = "VOICES_FORM_MIN_SECONDS", default_value_t = 5, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(0..=600))]
    form_min_seconds: u64,
    /// The SMTP relay for the update emails people may ask for ("tell me what happened"):
    /// smtp://host:25, smtp://user:password@host:587?tls=required, or smtps://host:465.
    /// Without it, people's requests are kept and their emails wait in the queue.
    #[arg(long, env = "VOICES_SMTP_URL", value_name = "URL", requires_all = ["mail_from", "public_url"])]
    smtp_url: Option<String>,
    /// Who the update emails are from, like "Voices <voices@hscp.example>".
    #[arg(long, env = "VOICES_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// Where people reach this collector, like https://voices.hscp.example: the links in
    /// emails and the update feed, and the address on posters (without it, feeds and
    /// posters use the address they were asked for at).
    #[arg(long, env = "VOICES_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Seconds before an update email the relay did not take is tried again; each
    /// further failure doubles the wait (up to 8 hours).
    #[arg(long, env = "VOICES_MAIL_RETRY_SECONDS", default_value_t = 60, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    mail_retry_seconds: u64,
    /// Acknowledge responses before they are flushed to disk. For benchmarks only:
    /// a crash can then lose acknowledged responses.
    #[arg(long, env = "VOICES_UNSAFE_NO_FSYNC", hide = true)]
    unsafe_no_fsync: bool,
}

#[derive(Debug, Subcommand)]
enum SurveyCommand {
    /// Check survey definitions and list every problem; exit 1 if any.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Fail (exit 1) when a text is missing in a language the survey offers, as well
        /// as on errors.
        #[arg(long)]
        strict: bool,
    },
    /// Check and publish survey definitions into a data directory.
    Publish {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    data: DataArg,
    /// The survey's id.
    #[arg(long, env = "VOICES_SURVEY")]
    survey: String,
    #[arg(long, env = "VOICES_FORMAT", value_enum, default_value = "csv")]
    format: Format,
    /// Only responses submitted on or after this day (YYYY-MM-DD, UTC) or time (RFC 3339).
    #[arg(long, env = "VOICES_FROM", value_name = "DATE")]
    from: Option<String>,
    /// Only responses submitted on or before this day (YYYY-MM-DD, UTC, the whole day) or time.
    #[arg(long, env = "VOICES_TO", value_name = "DATE")]
    to: Option<String>,
    /// Only responses to this version of the survey.
    #[arg(long, env = "VOICES_VERSION", value_name = "N")]
    version: Option<String>,
    /// Show option labels (in the survey's default language) instead of option values.
    #[arg(long, env = "VOICES_LABELS")]
    labels: bool,
    /// Head the columns with the questions' wording (in the survey's default language)
    /// instead of their ids.
    #[arg(long, env = "VOICES_LABEL_HEADERS")]
    label_headers: bool,
    /// Write here instead of standard output.
    #[arg(long, env = "VOICES_OUT", value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Why a command failed, and so its exit code.
enum Failure {
    /// Bad input: exit 1.
    Input(String),
    /// Could not run: exit 2.
    Run(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure::Run(error)
    }
}

impl From<store::StoreError> for Failure {
    fn from(error: store::StoreError) -> Failure {
        Failure::Run(error.into())
    }
}

pub fn run(cli: Cli) -> ExitCode {
    // SAFETY: called from `main` before anything else, so before any other thread.
    unsafe { crate::process_memory::hold_memory_compactly() };
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Survey {
            command: SurveyCommand::Check { files, strict },
        } => check(&files, strict),
        Command::Survey {
            command: SurveyCommand::Publish { files, data },
        } => data
            .location()
            .and_then(|location| publish(&files, &location)),
        Command::Export(args) => export_command(args),
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    data,
                    role,
                    surveys,
                },
        } => data
            .location()
            .and_then(|location| add_user(&name, &location, role, &surveys)),
        Command::Token {
            command: TokenCommand::Create { name, data, role },
        } => data
            .location()
            .and_then(|location| create_token(&name, &location, role)),
        Command::Token {
            command: TokenCommand::Revoke { name, data },
        } => data
            .location()
            .and_then(|location| revoke_token(&name, &location)),
        Command::Migrate(args) => migrate_command(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        Err(Failure::Run(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Each file read and parsed, in order: its survey, or a report of every problem.
fn parse_files(files: &[PathBuf]) -> Vec<(PathBuf, Result<Survey, String>)> {
    files
        .iter()
        .map(|file| {
            let parsed = match fs::read_to_string(file) {
                Err(error) => Err(format!("{}: cannot read the file: {error}", file.display())),
                Ok(text) => Survey::parse(&text).map_err(|problems| {
                    let count = problems.len();
                    let mut report = format!(
                        "{}: {count} problem{}",
                        file.display(),
                        if count == 1 { "" } else { "s" }
                    );
                    for problem in problems.iter() {
                        report.push_str(&format!("\n  {problem}"));
                    }
                    report
                }),
            };
            (file.clone(), parsed)
        })
        .collect()
}

/// Reads and parses survey files: all of them, or a report of every problem of
/// every file that has one.
fn read_surveys(files: &[PathBuf]) -> Result<Vec<(PathBuf, Survey)>, Failure> {
    let mut surveys = Vec::new();
    let mut reports = Vec::new();
    for (file, parsed) in parse_files(files) {
        match parsed {
            Ok(survey) => surveys.push((file, survey)),
            Err(report) => reports.push(report),
        }
    }
    if reports.is_empty() {
        Ok(surveys)
    } else {
        Err(Failure::Input(reports.join("\n")))
    }
}

/// Says of every file whether it is a valid survey, the good ones too, so a
/// check of a directory shows which files passed as well as which did not.
fn check(files: &[PathBuf], strict: bool) -> Result<(), Failure> {
    let mut reports = Vec::new();
    let mut incomplete = 0;
    for (file, parsed) in parse_files(files) {
        match parsed {
            Ok(survey) if let Err(problems) = crate::pictures::read(&file, &survey) => {
                reports.push(format!("{}: its pictures:\n{problems}", file.display()));
            }
            Ok(survey) => {
                println!(
                    "{}: ok: survey \"{}\" version {}, {} pages, {} questions",
                    file.display(),
                    survey.id(),
                    survey.version(),
                    survey.pages().len(),
                    survey.questions().count()
                );
                let warnings = translation_warnings(&survey);
                if !warnings.is_empty() {
                    incomplete += 1;
                }
                for warning in warnings {
                    println!("  {warning}");
                }
            }
            Err(report) => reports.push(report),
        }
    }
    if strict && incomplete > 0 {
        reports.push(format!(
            "--strict: {incomplete} survey{} lack{} texts in a language offered; translate them, or take the language out of \"locales\"",
            if incomplete == 1 { "" } else { "s" },
            if incomplete == 1 { "s" } else { "" }
        ));
    }
    if reports.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(reports.join("\n")))
    }
}

/// What a survey lacks in each language it offers: "warning: ar: 31 of 44 texts
/// missing; readers of Arabic see English there: title, intro, … (and 28 more)".
pub(crate) fn translation_warnings(survey: &Survey) -> Vec<String> {
    survey
        .translation_gaps()
        .into_iter()
        .filter(|gap| !gap.missing.is_empty())
        .map(|gap| {
            const SHOWN: usize = 12;
            let mut places = gap.missing[..gap.missing.len().min(SHOWN)].join(", ");
            if gap.missing.len() > SHOWN {
                places.push_str(&format!(" (and {} more)", gap.missing.len() - SHOWN));
            }
            // Easy Read without its own wording shows its language's (`Text::get`).
            let shown = voices_shared::easy_read_language(&gap.locale)
                .filter(|language| survey.offers_locale(language))
                .unwrap_or(survey.default_locale());
            format!(
                "warning: {}: {} of {} texts missing; readers of {} see {} there: {places}",
                gap.locale,
                gap.missing.len(),
                gap.total,
                language_name(&gap.locale),
                language_name(shown)
            )
        })
        .collect()
}

/// A language's English name, for staff and authors ("Easy Read English", "Chinese
/// (Traditional)"); the tag itself for others.
pub(crate) fn language_name(locale: &str) -> std::borrow::Cow<'_, str> {
    if let Some(language) = voices_shared::easy_read_language(locale) {
        return format!("Easy Read {}", language_name(language)).into();
    }
    match voices_shared::words_locale(locale) {
        "zh-Hans" => return "Chinese (Simplified)".into(),
        "zh-Hant" => return "Chinese (Traditional)".into(),
        _ => {}
    }
    let name = match locale.split('-').next().unwrap_or(locale) {
        "en" => "English",
        "gd" => "Gaelic",
        "pl" => "Polish",
        "ar" => "Arabic",
        "ur" => "Urdu",
        "sco" => "Scots",
        "zh" => "Chinese",
        "pa" => "Punjabi",
        "ro" => "Romanian",
        "uk" => "Ukrainian",
        "cy" => "Welsh",
        "fr" => "French",
        "es" => "Spanish",
        _ => locale,
    };
    name.into()
}

/// The `*.json` files of a directory, sorted.
fn survey_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = fs::read_dir(dir)
        .with_context(|| format!("cannot read the surveys directory {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read the surveys directory {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no *.json survey definitions here",
            dir.display()
        )));
    }
    Ok(files)
}

fn publish_all(
    catalog: &Catalog,
    store: &dyn Store,
    surveys: Vec<(PathBuf, Survey)>,
) -> Result<usize, Failure> {
    let mut published = 0;
    // Every survey's pictures are read and checked before anything is published: a
    // missing one stops the whole publish, not half of it.
    let mut pictures = Vec::new();
    for (file, survey) in &surveys {
        pictures.push(crate::pictures::read(file, survey).map_err(Failure::Input)?);
    }
    for ((file, survey), pictures) in surveys.into_iter().zip(pictures) {
        let (id, version) = (survey.id().to_owned(), survey.version());
        let outcome = catalog.publish(store, survey);
        // A survey's pictures go in with it. With a version already published, only if it
        // is still the newest: a picture replaced through the API for a newer version is
        // not put back by an older copy in the folder.
        let newest = catalog
            .latest(&id)
            .is_some_and(|latest| latest.survey.version() == version);
        if matches!(outcome, Ok(PublishOutcome::Published))
            || (matches!(outcome, Ok(PublishOutcome::AlreadyPublished)) && newest)
        {
            for (picture, bytes) in &pictures {
                store.put_picture(&id, picture, bytes)?;
            }
            store.flush()?;
        }
        match outcome {
            Ok(PublishOutcome::Published) => {
                published += 1;
                // Said once, on stdout, whether publishing or serving: a log file that
                // takes both streams gets it once.
                println!(
                    "{}: published survey \"{id}\" version {version}",
                    file.display()
                );
                if let Some(published) = catalog.version(&id, version) {
                    for warning in translation_warnings(&published.survey) {
                        println!("  {warning}");
                    }
                }
            }
            Ok(PublishOutcome::AlreadyPublished) => {
                println!(
                    "{}: survey \"{id}\" version {version} is already published",
                    file.display()
                );
            }
            Err(
                error @ (store::StoreError::VersionConflict { .. }
                | store::StoreError::UpdatesDoNotFit { .. }),
            ) => {
                return Err(Failure::Input(format!("{}: {error}", file.display())));
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(published)
}

fn publish(files: &[PathBuf], location: &StoreLocation) -> Result<(), Failure> {
    let surveys = read_surveys(files)?;
    let store = location.open().map_err(|error| {
        while_serving(
            error,
            "publish on /admin/publish, or PUT the definition to /api/admin/surveys/ID with an admin token",
        )
    })?;
    let catalog = Catalog::load(store.as_ref()).map_err(anyhow::Error::from)?;
    // A database is not locked as a data directory is: collectors serving from it pick up
    // what was published here within seconds (`catalog::follow`).
    publish_all(&catalog, store.as_ref(), surveys)?;
    Ok(())
}

fn export_command(args: ExportArgs) -> Result<(), Failure> {
    let location = args.data.location()?;
    // Reading must not create: a mistyped --data would otherwise leave an empty store behind.
    let store = open_existing(
        &location,
        "download from the survey's page under /admin, or GET /api/admin/surveys/ID/responses?format=csv with a token",
    )?;
    let catalog = Catalog::load(store.as_ref()).map_err(anyhow::Error::from)?;
    let versions = catalog.versions(&args.survey);
    if versions.is_empty() {
        return Err(Failure::Input(format!(
            "there is no survey \"{}\" in {}",
            args.survey,
            named(&location)
        )));
    }
    let options = export::ExportOptions::parse(
        args.from.as_deref(),
        args.to.as_deref(),
        args.version.as_deref(),
        args.labels.then_some("true"),
    )
    .map_err(|e| Failure::Input(e.to_string()))?;
    let options = export::ExportOptions {
        label_headers: args.label_headers,
        // Whoever can read the data directory is the operator: they see who collected.
        collected_by: true,
        ..options
    };
    let surveys: Vec<&Survey> = versions.iter().map(|p| &p.survey).collect();
    let out: Box<dyn Write + Send> = match &args.out {
        Some(path) => Box::new(io::BufWriter::new(
            fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout())),
    };
    let rows = export::write(
        args.format,
        out,
        &surveys,
        &options,
        options.read(store.as_ref(), &args.survey),
    )
    .map_err(|error| match error {
        export::ExportError::NoSuchVersion { .. }
        | export::ExportError::TooManyRows { .. }
        | export::ExportError::TooManyColumns { .. } => Failure::Input(error.to_string()),
        other => Failure::Run(other.into()),
    })?;
    if let Some(path) = &args.out {
        eprintln!("wrote {rows} responses to {}", path.display());
    }
    Ok(())
}

/// Opens an existing data directory for a staff command; `meanwhile` says how to do the
/// same while a collector serves from it (the directory is then locked).
fn open_existing(location: &StoreLocation, meanwhile: &str) -> Result<Arc<dyn Store>, Failure> {
    match location.open_existing() {
        Ok(Some(store)) => Ok(store),
        Ok(None) => Err(Failure::Input(format!(
            "there is no data directory at {}; pass the --data DIR the collector serves from",
            named(location)
        ))),
        Err(error) => Err(while_serving(error, meanwhile)),
    }
}

/// A store that another collector holds (it is serving from it): what to do instead while
/// it runs, which is usually what the person wants, rather than stopping it.
fn while_serving(error: store::StoreError, meanwhile: &str) -> Failure {
    match error {
        store::StoreError::Locked { .. } => {
            Failure::Run(anyhow::anyhow!("{error}; while it runs, {meanwhile}"))
        }
        other => other.into(),
    }
}

fn account_failure(error: AccountError) -> Failure {
    match error {
        AccountError::Store(error) => error.into(),
        other => Failure::Input(other.to_string()),
    }
}

/// Who the audit log says acted, for commands run on the server.
const COMMAND_LINE: &str = "command line";

fn add_user(
    name: &str,
    location: &StoreLocation,
    role: Option<Role>,
    surveys: &[String],
) -> Result<(), Failure> {
    actions::check_name(name).map_err(account_failure)?;
    let store = open_existing(location, "add staff on the Accounts page, /admin/accounts")?;
    let store = store.as_ref();
    let existing = store.user(name)?;
    let (role, surveys) = match (role, existing) {
        (Some(role), _) => (role, surveys.to_vec()),
        (None, Some(user)) if surveys.is_empty() => (user.role, user.surveys),
        (None, Some(user)) => (user.role, surveys.to_vec()),
        (None, None) => (Role::Analyst, surveys.to_vec()),
    };
    let surveys = surveys.as_slice();
    // Before the password is asked for: a mistake here is found at once.
    actions::check_surveys(store, role, surveys).map_err(account_failure)?;
    let password = if io::stdin().is_terminal() {
        // At a terminal: not shown as it is typed, and asked twice, as a typo would lock
        // the person out.
        let first = rpassword::prompt_password(format!(
            "Password for {name} (at least {MIN_PASSWORD_CHARS} characters; it is not shown as you type): "
        ))
        .context("cannot read the password from the terminal")?;
        let again = rpassword::prompt_password("The same password again: ")
            .context("cannot read the password from the terminal")?;
        if first != again {
            return Err(Failure::Input(format!(
                "the two passwords differ; nothing changed for \"{name}\""
            )));
        }
        first
    } else {
        let mut line = String::new();
        io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    let replaced = actions::add_user(store, COMMAND_LINE, name, role, surveys, &password)
        .map_err(account_failure)?;
    let collecting = if surveys.is_empty() {
        String::new()
    } else {
        format!(", collecting for {}", surveys.join(", "))
    };
    println!(
        "{} user \"{name}\" with the {} role{collecting}; they can sign in at /admin",
        if replaced { "updated" } else { "added" },
        role.as_str()
    );
    Ok(())
}

fn create_token(name: &str, location: &StoreLocation, role: Role) -> Result<(), Failure> {
    actions::check_name(name).map_err(account_failure)?;
    let store = open_existing(
        location,
        "create tokens on the Accounts page, /admin/accounts",
    )?;
    let token =
        actions::create_token(store.as_ref(), COMMAND_LINE, name, role).map_err(account_failure)?;
    eprintln!(
        "token \"{name}\" ({} role) created; it is shown once, here, and only its hash is kept:",
        role.as_str()
    );
    println!("{token}");
    Ok(())
}

fn revoke_token(name: &str, location: &StoreLocation) -> Result<(), Failure> {
    let store = open_existing(
        location,
        "revoke tokens on the Accounts page, /admin/accounts",
    )?;
    if !actions::revoke_token(store.as_ref(), COMMAND_LINE, name).map_err(account_failure)? {
        return Err(Failure::Input(format!(
            "there is no token called \"{name}\""
        )));
    }
    println!("token \"{name}\" is revoked");
    Ok(())
}

fn migrate_command(args: &MigrateArgs) -> Result<(), Failure> {
    let database = StoreLocation::postgres(&args.to)
        .map_err(|reason| Failure::Input(format!("--to (VOICES_STORE): {reason}")))?;
    let dir = args.from.display();
    init_logging();
    let from = match store::open_to_move_from(&args.from) {
        Ok(Some(from)) => from,
        Ok(None) => {
            return Err(Failure::Input(format!(
                "there is no collector's data in {dir}; pass as --from the --data DIR the collector served from"
            )));
        }
        Err(error @ store::StoreError::Locked { .. }) => {
            return Err(Failure::Run(anyhow::anyhow!(
                "{error}; migrate moves a data directory no collector serves from, so that nothing stored meanwhile is left behind: stop the collector, migrate, then serve with --store"
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let to = store::open_to_move_into(&args.to)?;
    eprintln!("moving {dir} into {database}");
    let report = migrate::migrate(from.as_ref(), to.as_ref(), &mut |event| match event {
        migrate::Event::Conflict(_, why) => eprintln!("conflict: {why}"),
        migrate::Event::Unreadable(kind, why) => {
            eprintln!("cannot read one of the {}: {why}", kind.plural());
        }
        migrate::Event::Progress { done, of } => eprintln!("responses: {done} of {of}"),
    })?;
    for (kind, counts) in &report.kinds {
        if counts.conflicts > migrate::SHOWN {
            eprintln!(
                "conflict: and {} more among the {}",
                counts.conflicts - migrate::SHOWN,
                kind.plural()
            );
        }
        if counts.unreadable > migrate::SHOWN {
            eprintln!(
                "cannot read {} more of the {}",
                counts.unreadable - migrate::SHOWN,
                kind.plural()
            );
        }
    }
    for line in report.lines() {
        println!("{line}");
    }
    for (id, here, there) in &report.surveys {
        println!(
            "survey \"{id}\": {here} responses in the data directory, {there} in the database"
        );
    }
    let (unreadable, conflicts) = (report.unreadable(), report.conflicts());
    if unreadable > 0 {
        return Err(Failure::Run(anyhow::anyhow!(
            "{unreadable} records in {dir} could not be read (said above), and were not moved; everything else was{}",
            if conflicts > 0 {
                format!(" but {conflicts} records in conflict (said above)")
            } else {
                String::new()
            }
        )));
    }
    if conflicts > 0 {
        return Err(Failure::Input(format!(
            "{conflicts} records were not moved: the database holds something else under the same key (said above), and nothing in it was overwritten; settle each, in the database or in {dir}, then run migrate again (what is there already is not moved twice)"
        )));
    }
    println!("everything in {dir} is in {database}; serve from it with --store (VOICES_STORE)");
    Ok(())
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VOICES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only for a person at a terminal: in a file, a pipe or the journal they are
    // escape codes that get in the way.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// Threads for store work and downloads (tokio's default is 512).
const MAX_BLOCKING_THREADS: usize = 32;

fn serve(args: ServeArgs) -> Result<(), Failure> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Store work runs on these (`AppState::with_store`); each thread costs
        // memory of its own, so a burst of requests must not start hundreds.
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .context("cannot start the async runtime")?;
    // Caught from here on: a SIGTERM during a long start-up (a log replay, the
    // retention purge) lets start-up finish, then stops the collector gracefully.
    let signals = {
        let _in_runtime = runtime.enter();
        ShutdownSignals::install()?
    };
    // Everything that can be wrong with the input is found before anything is served.
    // The address first: a collector that cannot listen says so before it creates or
    // changes anything in the data directory.
    let listener = std::net::TcpListener::bind(args.addr).map_err(|error| {
        let why = match error.kind() {
            io::ErrorKind::AddrInUse => {
                "the address is in use: another collector, or another program, listens there; stop it, or choose another address with --addr (VOICES_ADDR)".to_owned()
            }
            io::ErrorKind::PermissionDenied => {
                "permission denied: ports below 1024 need privileges; choose a port of 1024 or more with --addr, behind your proxy".to_owned()
            }
            _ => error.to_string(),
        };
        Failure::Run(anyhow::anyhow!("cannot listen on {}: {why}", args.addr))
    })?;
    let to_publish = match &args.surveys {
        Some(dir) => read_surveys(&survey_files(dir)?)?,
        None => Vec::new(),
    };
    // Links in emails and the codes on posters are read away from the collector: a public
    // address that is not one is said now, with or without a relay.
    let public_url = args
        .public_url
        .as_deref()
        .map(mail::check_public_url)
        .transpose()
        .map_err(Failure::Input)?;
    let mailer = match (&args.smtp_url, &args.mail_from, &args.public_url) {
        (Some(smtp_url), Some(from), Some(public_url)) => Some({
            mail::Mailer::new(&mail::MailSettings {
                smtp_url: smtp_url.clone(),
                from: from.clone(),
                public_url: public_url.clone(),
                retry_after: std::time::Duration::from_secs(args.mail_retry_seconds),
            })
            .map_err(Failure::Input)?
        }),
        _ => None,
    };
    let store = args.data.location()?.open()?;
    let catalog =
        Catalog::load_serving(store.as_ref(), mailer.is_some()).map_err(anyhow::Error::from)?;
    publish_all(&catalog, store.as_ref(), to_publish)?;
    retention::purge_once(&catalog, store.as_ref(), OffsetDateTime::now_utc())
        .context("the retention purge at start-up failed")?;
    mail::queue_all(&catalog, store.as_ref()).context("cannot queue the update emails")?;
    if mailer.is_none() {
        let offered: Vec<String> = store
            .surveys()?
            .into_iter()
            .filter(|s| {
                // As published: the catalog serves it without the offer.
                Survey::parse(&s.definition).is_ok_and(|survey| survey.updates_by_email())
            })
            .map(|s| s.id)
            .collect();
        if !offered.is_empty() {
            tracing::warn!(
                surveys = %offered.join(", "),
                "these surveys offer their updates by email, but no --smtp-url is set: they are served without the offer until one is"
            );
        }
    }
    if let Some(smtp_url) = &args.smtp_url {
        let encrypted = smtp_url.starts_with("smtps://") || smtp_url.contains("tls=required");
        if smtp_url.contains('@') && !encrypted {
            tracing::warn!(
                "--smtp-url has a user name and password but no TLS: add ?tls=required (STARTTLS), or use smtps://, so the password does not cross the network in the clear"
            );
        }
    }
    let on_this_machine = |url: &str| {
        ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|local| url.starts_with(local))
    };
    if args
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("http://") && !on_this_machine(u))
    {
        tracing::warn!(
            "--public-url is http://: mail programs offer their own one-click unsubscribe button only for https:// links"
        );
    }

    let config = Config {
        body_limit: args.body_limit,
        body_timeout: std::time::Duration::from_secs(args.body_timeout),
        rate_limit: args.rate_limit,
        behind_proxy: args.behind_proxy,
        demo: args.demo,
        durable: !args.unsafe_no_fsync,
        secure_cookies: args.behind_tls,
        form_min_time: std::time::Duration::from_secs(args.form_min_seconds),
        public_url,
    };
    if args.unsafe_no_fsync {
        tracing::warn!("--unsafe-no-fsync: responses are acknowledged before they reach the disk");
    }
    if args.behind_tls && !args.behind_proxy {
        tracing::warn!(
            "--behind-tls without --behind-proxy: behind a TLS proxy every client seems to come \
             from the proxy's address, so one person's failed sign-ins slow all staff down and all \
             respondents share one submission limit; add --behind-proxy if your proxy sets \
             X-Forwarded-For"
        );
    }
    let store_for_shutdown = Arc::clone(&store);
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .context("cannot set up the listening socket")?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .context("cannot set up the listening socket")?;
        let address = listener.local_addr().context("the listener has no address")?;
        let assets = Assets::embedded();
        if !assets.has_widget() {
            tracing::warn!("this collector was built without the widget; run `cargo xtask build-widget` and rebuild");
        }
        let state = AppState::new(config, store, catalog, assets);
        tokio::spawn(retention::run_daily(state.clone()));
        tokio::spawn(crate::catalog::follow(state.clone()));
        tokio::spawn(crate::staff::sessions::sweep_every_minute(state.clone()));
        // Counted now, so staff opening a summary or reach page find the counts ready.
        let counting = state.clone();
        tokio::task::spawn_blocking(move || {
            for latest in counting.catalog().newest_of_each() {
                if let Err(error) = counting.counts().read(
                    counting.store().as_ref(),
                    &latest.survey,
                    |_| (),
                ) {
                    tracing::warn!(survey = %latest.survey.id(), %error, "could not count the survey's responses; its summary will try again");
                }
            }
            // Counting read every response: the store lets go of what that brought into memory.
            if let Err(error) = counting.store().shed_memory() {
                tracing::debug!(%error, "could not let go of the memory the count used");
            }
        });
        tokio::spawn(shed_memory_now_and_then(state.clone()));
        if let Some(mailer) = mailer {
            let state = state.clone();
            tokio::spawn(mail::run(state, mailer));
        }
        let demo = state.config().demo;
        // Printed on stdout so that scripts and tests can find the port when started on :0.
        println!("listening on http://{address}");
        if demo {
            println!("demo partner page: http://{address}/demo");
        }
        // On a signal, requests in flight may finish, but not for ever: a client
        // that never completes its request must not keep the collector up.
        let signalled = Arc::new(tokio::sync::Notify::new());
        let shutdown = {
            let signalled = Arc::clone(&signalled);
            async move {
                signals.wait().await;
                signalled.notify_one();
            }
        };
        let limits = serving::Limits {
            header_timeout: std::time::Duration::from_secs(args.header_timeout),
            max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        }
        .within_open_file_limit();
        let server = serving::serve(listener, app(state), limits, shutdown);
        tokio::select! {
            served = server => served.context("the server stopped"),
            () = async {
                signalled.notified().await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!("requests still open {} s after the signal; stopping anyway", SHUTDOWN_GRACE.as_secs());
                Ok(())
            }
        }
    })?;
    store_for_shutdown.flush()?;
    tracing::info!("stopped; everything is on disk");
    Ok(())
}

/// How long requests in flight get to finish after SIGTERM or Ctrl-C.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// How often the store is asked to let go of what long reads left in memory.
const SHED_MEMORY_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Asks the store now and then to let go of what long reads (downloads) left in memory,
/// which it does only when they read enough and it is quiet (see `Store::shed_memory`).
async fn shed_memory_now_and_then(state: AppState) {
    let mut ticks = tokio::time::interval(SHED_MEMORY_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = state.with_store(|store| Ok(store.shed_memory()?)).await {
            // The store has said why already; the next tick tries again.
            tracing::debug!(%error, "could not let go of the memory long reads used");
        }
    }
}

/// SIGTERM and Ctrl-C (SIGINT), caught from before the collector says it is
/// listening: a SIGTERM sent the moment it is up, by a service manager or a
/// script, must stop it gracefully (requests finish, everything is flushed),
/// not end it at once as an uncaught signal would.
struct ShutdownSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn install() -> anyhow::Result<ShutdownSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(ShutdownSignals {
                terminate: signal(SignalKind::terminate()).context("cannot catch SIGTERM")?,
                interrupt: signal(SignalKind::interrupt()).context("cannot catch SIGINT")?,
            })
        }
        #[cfg(not(unix))]
        Ok(ShutdownSignals {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.terminate.recv() => {},
            _ = self.interrupt.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
