//! Update emails: a survey's published updates, sent to the people who asked for them, through the operator's SMTP relay.
//!
//! Publishing an update queues one email per person in the store (see
//! [`Catalog::change_updates`](crate::catalog::Catalog::change_updates)), on disk, so a
//! restart loses none. [`run`] sends what is due, one at a time, and on a failure the
//! relay may recover from tries again later, waiting twice as long each time: a relay
//! that is down holds up no submission, only its own queue. An email is written when it
//! is sent, from the update and the person's language as they are then. The email of a
//! survey's final update ("what we did") is its last: the address is deleted once it is sent.

use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use time::OffsetDateTime;
use voices_shared::outcomes::{Stage, Update};
use voices_shared::{Survey, fill};

use crate::AppState;
use crate::store::{MailJob, Settled, Store, StoreError, Subscription};

/// How the collector sends email: `--smtp-url`, `--mail-from` and `--public-url`.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The relay: `smtp://host:25`, `smtp://user:password@host:587?tls=required`, `smtps://host:465`.
    pub smtp_url: String,
    /// Who the emails are from: `Voices <voices@hscp.example>`.
    pub from: String,
    /// Where people reach this collector (`https://voices.hscp.example`): the emails' links.
    pub public_url: String,
    /// The wait after a first failed attempt; each further failure doubles it.
    pub retry_after: Duration,
}

/// Attempts before an email the relay keeps refusing (or a relay that never comes back)
/// is given up: with the default minute (waits of 1, 2, 4 ... 256 minutes, then 8 hours),
/// the last is about a week after the first.
pub const MAX_ATTEMPTS: u32 = 30;

/// The longest wait between two attempts.
const MAX_WAIT: Duration = Duration::from_secs(8 * 60 * 60);

/// Emails read from the queue at a time.
const BATCH: usize = 20;

/// `--public-url` as links are written with it: a web address, without a trailing `/`.
pub fn check_public_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim_end_matches('/');
    if !(trimmed.starts_with("https://") || trimmed.starts_with("http://"))
        || trimmed.contains(char::is_whitespace)
        || trimmed.len() <= "http://".len()
    {
        return Err(format!(
            "--public-url \"{url}\" is not a web address; write where people reach this collector, like https://voices.hscp.example"
        ));
    }
    Ok(trimmed.to_owned())
}

/// The relay and what every email needs, checked; [`run`] connects.
pub struct Mailer {
    relay: AsyncSmtpTransportBuilder,
    from: Mailbox,
    public_url: String,
    retry_after: Duration,
}

/// A [`Mailer`] with its connection pool, which lives in the async runtime (it starts a
/// task of its own, and must be dropped there too).
struct Connected {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    mailer: Mailer,
}

impl Mailer {
    /// Checks the settings (a relay address lettre understands, a sender that is an
    /// address); says which is wrong and how to write it.
    pub fn new(settings: &MailSettings) -> Result<Mailer, String> {
        let relay = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| {
                format!(
                    "--smtp-url \"{}\" is not a relay address ({e}); write it like smtp://relay.example:25 or smtp://user:password@relay.example:587?tls=required",
                    redact_password(&settings.smtp_url)
                )
            })?
            // A relay that accepts a connection and then says nothing must not hold the queue for ever.
            .timeout(Some(Duration::from_secs(30)));
        let from: Mailbox = settings.from.parse().map_err(|e| {
            format!(
                "--mail-from \"{}\" is not an email address ({e}); write it like \"Voices <voices@hscp.example>\"",
                settings.from
            )
        })?;
        let public_url = check_public_url(&settings.public_url)?;
        Ok(Mailer {
            relay,
            from,
            public_url,
            retry_after: settings.retry_after,
        })
    }

    /// Connects (in the runtime) and says in the log whether the relay answers: a wrong
    /// address, port or TLS setting shows at start-up, not at the first update. Serving
    /// goes on either way (a relay may be down for a while); emails wait in the queue.
    async fn connect(self) -> Connected {
        let connected = Connected {
            transport: self.relay.clone().build(),
            mailer: self,
        };
        match connected.transport.test_connection().await {
            Ok(true) => tracing::info!("the mail relay answers"),
            Ok(false) => tracing::error!(
                "the mail relay did not answer as SMTP; update emails wait in the queue until it does"
            ),
            Err(error) => tracing::error!(
                relay = %describe(&error),
                "cannot reach the mail relay (--smtp-url); update emails wait in the queue until it can be reached"
            ),
        }
        connected
    }
}

impl Connected {
    fn wait_after(&self, attempts: u32) -> Duration {
        wait_after(self.mailer.retry_after, attempts)
    }
}

/// The wait before attempt `attempts + 1`, after `attempts` failures: `first`, doubled
/// for each failure after the first, at most [`MAX_WAIT`].
fn wait_after(first: Duration, attempts: u32) -> Duration {
    first
        .saturating_mul(1 << attempts.saturating_sub(1).min(16))
        .min(MAX_WAIT)
}

/// The password of a relay address, hidden for a message.
fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// `List-Unsubscribe`: where a mail program's own "unsubscribe" button goes (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post`: that button stops the emails with one POST, no page (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// `Content-Language`: the language the email is written in.
#[derive(Clone)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Where the link in an email that stops the emails goes.
pub fn unsubscribe_address(public_url: &str, subscription: &Subscription) -> String {
    format!(
        "{public_url}/unsubscribe/{}?lang={}",
        subscription.token, subscription.locale
    )
}

/// The email of `update` to one person, in their language: plain text, which every mail
/// program shows and reads aloud as it is.
pub fn compose(
    from: &Mailbox,
    public_url: &str,
    survey: &Survey,
    update: &Update,
    subscription: &Subscription,
) -> Result<Message, String> {
    let to = Mailbox::new(
        None,
        subscription
            .email
            .parse()
            .map_err(|e| format!("the address is not one the relay can take: {e}"))?,
    );
    let locale = subscription.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    let words = voices_shared::mail_words::mail_words(locale);
    let title = survey.title().get(locale);
    let mut body = format!(
        "{}\n{} · {}\n\n",
        update.headline().get(locale),
        catalogue.stage(update.stage()),
        catalogue.date(update.date())
    );
    for paragraph in update.body().paragraphs(locale) {
        body.push_str(paragraph);
        body.push_str("\n\n");
    }
    for pair in update.you_said_we_did() {
        body.push_str(&format!(
            "{} {}\n{} {}\n\n",
            catalogue.you_said,
            pair.you_said().get(locale),
            catalogue.we_did,
            pair.we_did().get(locale)
        ));
    }
    if let Some(link) = update.link() {
        body.push_str(&format!("{}: {link}\n\n", catalogue.full_report));
    }
    body.push_str(&format!(
        "{}\n{public_url}/s/{}/updates?lang={locale}\n\n-- \n{}\n",
        words.read_online,
        survey.id(),
        fill(words.why, &[("survey", title)])
    ));
    let unsubscribe = unsubscribe_address(public_url, subscription);
    if update.stage() == Stage::WhatWeDid {
        body.push_str(words.last);
        body.push('\n');
    } else {
        body.push_str(&format!("{}\n{unsubscribe}\n", words.stop));
    }
    // The same id for the same update to the same person: should a crash between sending
    // and taking it off the queue send it twice, mail systems show it once.
    let message_id = format!(
        "<{}@{}>",
        &crate::staff::credentials::digest(&format!("{}:{}", subscription.token, update.id()))
            [..32],
        from.email.domain()
    );
    Message::builder()
        .message_id(Some(message_id))
        .from(from.clone())
        .to(to)
        .subject(format!("{title}: {}", update.headline().get(locale)))
        .header(ContentLanguage(catalogue.locale.to_owned()))
        .header(ListUnsubscribe(format!("<{unsubscribe}>")))
        .header(ListUnsubscribePost)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("the email could not be written: {e}"))
}

/// Queues the emails of every survey's published updates that are not queued yet: at
/// start-up, for a change of updates that was stored just before the collector stopped.
pub fn queue_all(catalog: &crate::catalog::Catalog, store: &dyn Store) -> Result<u64, StoreError> {
    let mut queued = 0;
    for published in catalog.newest_of_each() {
        let id = published.survey.id();
        if let Some(told) = catalog.told_if_any(id) {
            queued += store.queue_updates(id, &told.published_ids(), OffsetDateTime::now_utc())?;
        }
    }
    if queued > 0 {
        store.flush()?;
    }
    Ok(queued)
}

/// Sends what is due, then waits for more: woken when updates are published, and at
/// least once per retry interval. Runs for as long as the collector serves.
///
/// A relay that does not take an email is taken to be down (or busy) for every email:
/// the queue waits as the failed email does, and the first email it takes again brings
/// every waiting one forward, so nothing waits hours after the relay is back.
pub async fn run(state: AppState, mailer: Mailer) {
    let mailer = mailer.connect().await;
    let poll = mailer.mailer.retry_after.min(Duration::from_secs(30));
    let mut relay_failures = 0u32;
    loop {
        // One collector sends for the whole store: on a database shared by several, the
        // others wait while it holds the lease, and take over within SENDER_LEASE if it
        // stops.
        if !holds_sender_lease(&state).await {
            tokio::select! {
                () = state.mail_wake().notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
            continue;
        }
        let due = state
            .with_store(|store| Ok(store.due_mail(OffsetDateTime::now_utc(), BATCH)?))
            .await;
        let due = match due {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "cannot read the queue of update emails; trying again soon");
                Vec::new()
            }
        };
        let full = due.len() == BATCH;
        let mut relay_down = false;
        let mut settled = false;
        for job in due {
            // Renewed before each email, so a slow relay never lets the lease lapse while
            // an email is on its way (another collector would send it again).
            if !holds_sender_lease(&state).await {
                break;
            }
            match deliver(&state, &mailer, job).await {
                Delivery::Sent => {
                    settled = true;
                    if relay_failures > 0 {
                        relay_failures = 0;
                        let hurried = state
                            .with_store(|store| Ok(store.hurry_mail(OffsetDateTime::now_utc())?))
                            .await;
                        if let Err(error) = hurried {
                            tracing::warn!(%error, "cannot bring the waiting update emails forward");
                        }
                    }
                }
                Delivery::Settled => settled = true,
                Delivery::RelayFailed => {
                    relay_failures += 1;
                    relay_down = true;
                    break;
                }
                Delivery::StoreFailed => break,
            }
        }
        // One flush for the batch: the emails that went are off the queue on disk (a
        // crash before it sends them again, under the same Message-ID).
        if settled && let Err(error) = state.with_store(|store| Ok(store.flush()?)).await {
            tracing::warn!(%error, "cannot write the queue of update emails to disk");
        }
        if relay_down {
            tokio::time::sleep(mailer.wait_after(relay_failures)).await;
        } else if !full {
            tokio::select! {
                () = state.mail_wake().notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }
}

/// How long the sender's lease lasts without renewal: longer than one email can take
/// (the relay's timeouts), short enough that another collector takes over soon.
const SENDER_LEASE: Duration = Duration::from_secs(5 * 60);

/// Whether this collector is (still) the one that sends the update emails.
async fn holds_sender_lease(state: &AppState) -> bool {
    let claimed = state
        .with_store(|store| {
            Ok(store.claim_lease("update emails", crate::this_collector(), SENDER_LEASE)?)
        })
        .await;
    claimed.unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot tell whether this collector sends the update emails; trying again soon");
        false
    })
}

/// What became of one queued email.
enum Delivery {
    Sent,
    /// Off the queue without being sent (nothing to send any more, or given up).
    Settled,
    /// Back in the queue: the relay did not take it.
    RelayFailed,
    /// The store could not be read or written: tried again at the next round.
    StoreFailed,
}

/// Whether the relay's refusal is about the address itself (no such mailbox, a domain
/// that takes no mail), which no retry mends. A refusal of the relay's own (a wrong
/// password, TLS required, relaying denied: 530, 535, 5.7.x) is its operator's to mend,
/// and the email waits for it.
fn refuses_the_address(error: &lettre::transport::smtp::Error) -> bool {
    let Some(code) = error.status().filter(|_| error.is_permanent()) else {
        return false;
    };
    let text = error.to_string().to_ascii_lowercase();
    matches!(code.to_string().as_str(), "550" | "551" | "553")
        && !text.contains(" 5.7.")
        && !text.contains("relay")
        && !text.contains("auth")
}

/// What a relay's error was, for the log: its code and kind, never its text, which
/// usually names the recipient.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_tls() {
        "TLS failed"
    } else if error.is_transient() {
        "refused for now"
    } else if error.is_permanent() {
        "refused"
    } else {
        "could not be reached or the connection failed"
    };
    match error.status() {
        Some(code) => format!("{kind} ({code})"),
        None => kind.to_owned(),
    }
}

/// Sends one queued email, or drops it if there is nothing to send any more, or puts it
/// back for later.
async fn deliver(state: &AppState, mailer: &Connected, job: MailJob) -> Delivery {
    let lookup = {
        let token = job.token.clone();
        state
            .with_store(move |store| Ok(store.subscription(&token)?))
            .await
    };
    let subscription = match lookup {
        Ok(Some(subscription)) => subscription,
        // Stopped meanwhile: nothing to send.
        Ok(None) => return settle(state, job, Settled::Done { last: false }).await,
        Err(error) => {
            tracing::warn!(%error, "cannot read a subscription; trying again soon");
            return Delivery::StoreFailed;
        }
    };
    let survey = state.catalog().latest(&job.survey_id);
    let told = state.catalog().told(&job.survey_id);
    let update = told.outcomes.update(&job.update_id);
    let last = update.is_some_and(|u| u.stage() == Stage::WhatWeDid);
    let (Some(survey), Some(update)) = (survey, update.filter(|u| u.is_published())) else {
        // Taken back (unpublished or deleted) before it went: if it comes back, it goes.
        return settle(state, job, Settled::TakenBack { last: false }).await;
    };
    let message = match compose(
        &mailer.mailer.from,
        &mailer.mailer.public_url,
        &survey.survey,
        update,
        &subscription,
    ) {
        Ok(message) => message,
        Err(reason) => {
            tracing::warn!(survey = %job.survey_id, update = %job.update_id, %reason, "an update email cannot be written; the address is deleted");
            return settle(state, job, Settled::Undeliverable).await;
        }
    };
    match mailer.transport.send(message).await {
        Ok(_) => {
            tracing::info!(survey = %job.survey_id, update = %job.update_id, "sent an update email");
            match settle(state, job, Settled::Done { last }).await {
                Delivery::Settled => Delivery::Sent,
                other => other,
            }
        }
        Err(error) if refuses_the_address(&error) => {
            tracing::warn!(
                survey = %job.survey_id, update = %job.update_id, relay = %describe(&error),
                "the relay will not deliver to an address; it is deleted with its emails"
            );
            settle(state, job, Settled::Undeliverable).await
        }
        Err(error) => {
            let attempts = job.attempts + 1;
            if attempts >= MAX_ATTEMPTS {
                tracing::warn!(survey = %job.survey_id, update = %job.update_id, attempts, relay = %describe(&error), "an update email could not be sent in a week of trying; given up");
                settle(state, job, Settled::Done { last }).await;
                return Delivery::RelayFailed;
            }
            let wait = mailer.wait_after(attempts);
            tracing::warn!(survey = %job.survey_id, update = %job.update_id, attempts, wait_seconds = wait.as_secs_f64(), relay = %describe(&error), "the relay did not take an update email; trying again later");
            let retry = MailJob {
                attempts,
                due: OffsetDateTime::now_utc() + wait,
                ..job.clone()
            };
            if let Err(error) = state
                .with_store(move |store| Ok(store.reschedule_mail(&job, &retry)?))
                .await
            {
                tracing::warn!(%error, "cannot put an update email back in the queue");
            }
            Delivery::RelayFailed
        }
    }
}

/// Takes an email off the queue, as `how` says.
async fn settle(state: &AppState, job: MailJob, how: Settled) -> Delivery {
    match state
        .with_store(move |store| Ok(store.settle_mail(&job, how)?))
        .await
    {
        Ok(()) => Delivery::Settled,
        Err(error) => {
            tracing::warn!(%error, "cannot take an update email off the queue");
            Delivery::StoreFailed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relay_password_never_reaches_a_message() {
        assert_eq!(
            redact_password("smtp://voices:s3cret@relay.example:587?tls=required"),
            "smtp://voices:***@relay.example:587?tls=required"
        );
        assert_eq!(
            redact_password("smtp://relay.example:25"),
            "smtp://relay.example:25"
        );
    }

    #[test]
    fn waits_double_up_to_a_limit() {
        let mailer = Mailer::new(&MailSettings {
            smtp_url: "smtp://127.0.0.1:2525".into(),
            from: "Voices <voices@hscp.example>".into(),
            public_url: "https://voices.hscp.example/".into(),
            retry_after: Duration::from_secs(60),
        })
        .unwrap();
        assert_eq!(mailer.public_url, "https://voices.hscp.example");
        let minute = mailer.retry_after;
        assert_eq!(wait_after(minute, 1), Duration::from_secs(60));
        assert_eq!(wait_after(minute, 2), Duration::from_secs(120));
        assert_eq!(wait_after(minute, 5), Duration::from_secs(960));
        assert_eq!(wait_after(minute, 13), MAX_WAIT);
        // Thirty tries take about a week.
        let total: Duration = (1..MAX_ATTEMPTS).map(|a| wait_after(minute, a)).sum();
        assert!(
            (6 * 24..8 * 24).contains(&(total.as_secs() / 3600)),
            "{total:?}"
        );
    }

    #[test]
    fn bad_settings_say_which_flag_and_how_to_write_it() {
        let settings = MailSettings {
            smtp_url: "relay.example".into(),
            from: "Voices <voices@hscp.example>".into(),
            public_url: "https://voices.hscp.example".into(),
            retry_after: Duration::from_secs(60),
        };
        let error = Mailer::new(&settings).err().unwrap();
        assert!(error.starts_with("--smtp-url"), "{error}");
        let error = Mailer::new(&MailSettings {
            smtp_url: "smtp://relay.example".into(),
            from: "voices".into(),
            ..settings.clone()
        })
        .err()
        .unwrap();
        assert!(error.starts_with("--mail-from"), "{error}");
        let error = Mailer::new(&MailSettings {
            smtp_url: "smtp://relay.example".into(),
            public_url: "voices.hscp.example".into(),
            ..settings
        })
        .err()
        .unwrap();
        assert!(error.starts_with("--public-url"), "{error}");
    }
}
