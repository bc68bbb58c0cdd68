//! The widget's own words (buttons, progress, errors, counts, thank-you) in every language it speaks.
//!
//! Survey text comes from the survey; everything else a respondent reads
//! comes from here, so a survey in Polish has no English buttons. Strings
//! with `{n}`, `{x}`, `{y}` or `{min}`/`{max}` are filled in by [`fill`].

use crate::response::{AnswerProblem, ProblemKind, number};
use crate::survey::{Question, QuestionKind};
use crate::text::Text;

/// One language's strings.
#[derive(Debug)]
pub struct Catalogue {
    pub locale: &'static str,
    pub start: &'static str,
    pub continue_: &'static str,
    pub back: &'static str,
    pub send: &'static str,
    /// "Page {x} of {y}"
    pub page_of: &'static str,
    pub error_prefix: &'static str,
    pub there_is_a_problem: &'static str,
    pub optional: &'static str,
    pub privacy_heading: &'static str,
    pub privacy_link: &'static str,
    /// Said after a link that opens a new tab, so nobody is surprised.
    pub opens_in_new_tab: &'static str,
    pub language: &'static str,
    pub check_heading: &'static str,
    pub change: &'static str,
    pub not_answered: &'static str,
    pub yes: &'static str,
    pub or: &'static str,
    /// The hint under a date: "For example, 27 3 2024".
    pub date_hint: &'static str,
    pub day: &'static str,
    pub month: &'static str,
    pub year: &'static str,
    /// "You can enter up to {n} characters"
    pub chars_limit: &'static str,
    /// "You have {n} characters remaining" / "You have 1 character remaining"
    pub chars_remaining: &'static str,
    pub chars_remaining_one: &'static str,
    /// "You have {n} characters too many" / "You have 1 character too many"
    pub chars_too_many: &'static str,
    pub chars_too_many_one: &'static str,
    pub specify_label: &'static str,
    pub what_happens_next: &'static str,
    /// Under the title: who runs the survey ("Run by {organisation}").
    pub run_by: &'static str,
    pub sending: &'static str,
    pub thank_you: &'static str,
    pub receipt_intro: &'static str,
    pub receipt_hint: &'static str,
    pub send_failed: &'static str,
    /// A 409: this filled-in survey was already sent, with other answers (another tab).
    pub already_sent: &'static str,
    /// Neither sent nor saved on the device (storage full or turned off).
    pub not_kept: &'static str,
    /// The browser cannot draw a random submission id (no `crypto.getRandomValues`), so
    /// nothing can be sent from it: said instead of the survey, before anyone starts.
    pub no_random_ids: &'static str,
    /// A retry answered 410 `erased`: staff erased this response, at the person's request
    /// or their own, so it is neither stored again nor kept on the device.
    pub erased_heading: &'static str,
    pub erased: &'static str,
    pub try_again: &'static str,
    /// After a send that did not reach the collector.
    pub unreachable_send: &'static str,
    /// The heading while a response waits in the outbox.
    pub queued_heading: &'static str,
    /// Collect mode (staff recording answers with someone): after Send, the answers
    /// are kept on the device for staff to send.
    pub recorded_heading: &'static str,
    pub recorded_body: &'static str,
    /// Collect mode: the recorded screen's button, for the next person.
    pub next_person: &'static str,
    /// Collect mode: the respondent hands the device back, their answers forgotten.
    pub stop_and_clear: &'static str,
    /// Collect mode: announced once the answers are cleared.
    pub cleared: &'static str,
    /// Collect mode: the collect page could not keep the response; the answers stay on screen.
    pub not_recorded: &'static str,
    /// Waiting because the device is offline.
    pub queued: &'static str,
    /// Waiting because the collector could not take it (busy, down, too slow), though the
    /// device is online.
    pub queued_busy: &'static str,
    pub not_found: &'static str,
    pub closed: &'static str,
    pub not_open_yet: &'static str,
    pub unreachable: &'static str,
    // Problems, by code.
    pub required_choice: &'static str,
    pub required_choices: &'static str,
    pub required_text: &'static str,
    pub required_consent: &'static str,
    pub not_a_number: &'static str,
    pub not_an_option: &'static str,
    pub exclusive: &'static str,
    /// "Select no more than {n} options"
    pub too_many: &'static str,
    /// "Select at least {n} options"
    pub too_few: &'static str,
    /// "Enter {n} characters or fewer"
    pub too_long: &'static str,
    /// "Enter a number between {min} and {max}"
    pub between: &'static str,
    pub at_least: &'static str,
    pub at_most: &'static str,
    pub date_between: &'static str,
    pub date_after: &'static str,
    pub date_before: &'static str,
    pub whole_number: &'static str,
    pub bad_date: &'static str,
    pub bad_email: &'static str,
    pub bad_phone: &'static str,
    pub bad_postcode: &'static str,
    pub specify_missing: &'static str,
    /// Details given for an answer not chosen (a page without JavaScript shows every box).
    pub specify_not_chosen: &'static str,
    pub other_problem: &'static str,
    /// A problem's message naming its question: "{question}: {problem}".
    pub named_problem: &'static str,
    // What came of a survey (its published updates).
    /// The heading of a survey's updates, and the link to them.
    pub updates: &'static str,
    pub no_updates: &'static str,
    /// Before what people said, in a "you said / we did" pair.
    pub you_said: &'static str,
    pub we_did: &'static str,
    /// The link to an update's full report.
    pub full_report: &'static str,
    /// On an open survey's first screen, the link to its updates (once there are some).
    pub updates_link: &'static str,
    /// Under a closed survey's latest updates, the link to all of them.
    pub all_updates: &'static str,
    // A response sent from this device (the hosted page `/r/{receipt}` and the widget).
    pub your_response: &'static str,
    /// "Your answers were stored on {date}."
    pub stored_on: &'static str,
    pub survey_open: &'static str,
    /// The link from a receipt to the page about that response.
    pub see_response: &'static str,
    pub no_such_response: &'static str,
    pub no_such_response_hint: &'static str,
    /// Too many receipts looked up from one address in a short time.
    pub too_many_lookups: &'static str,
    pub withdraw: &'static str,
    pub withdraw_heading: &'static str,
    pub withdraw_explain: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_cancel: &'static str,
    pub withdrawn_heading: &'static str,
    pub withdrawn: &'static str,
    pub withdraw_failed: &'static str,
    /// Said while the withdrawal is on its way.
    pub withdrawing: &'static str,
    /// The collector says this device's key does not withdraw that response.
    pub withdraw_refused: &'static str,
    // "Tell me what happened": the offer of the survey's updates by email, after Send.
    pub email_heading: &'static str,
    pub email_hint: &'static str,
    pub email_label: &'static str,
    pub email_button: &'static str,
    /// The address is kept: what the person can expect.
    pub email_kept: &'static str,
    /// The address could not be sent to the collector, or it could not keep it.
    pub email_not_kept: &'static str,
    /// Too many addresses given from one place in a short time.
    pub email_too_many: &'static str,
    /// Said while the address is on its way.
    pub email_sending: &'static str,
    /// The stages a survey's updates tell: open, closed, looking at what you said, what
    /// we did.
    pub stages: [&'static str; 4],
    /// Month names as they stand in a date ("20 November 2026"; the genitive in Polish;
    /// in Gaelic without the article, as in "20 Samhain 2026").
    pub months: [&'static str; 12],
}

const EN: Catalogue = Catalogue {
    locale: "en",
    start: "Start now",
    continue_: "Continue",
    back: "Back",
    send: "Send my answers",
    page_of: "Page {x} of {y}",
    error_prefix: "Error:",
    there_is_a_problem: "There is a problem",
    optional: "(optional)",
    privacy_heading: "How we use your answers",
    privacy_link: "Read the full privacy notice",
    opens_in_new_tab: "(opens in new tab)",
    language: "Language",
    check_heading: "Check your answers before sending them",
    change: "Change",
    not_answered: "Not answered",
    yes: "Yes",
    or: "or",
    date_hint: "For example, 27 3 2024",
    day: "Day",
    month: "Month",
    year: "Year",
    chars_limit: "You can enter up to {n} characters",
    chars_remaining: "You have {n} characters remaining",
    chars_remaining_one: "You have 1 character remaining",
    chars_too_many: "You have {n} characters too many",
    chars_too_many_one: "You have 1 character too many",
    specify_label: "Please give details",
    what_happens_next: "What happens next",
    run_by: "Run by {organisation}",
    sending: "Sending your answers…",
    thank_you: "Thank you, your answers have been sent",
    receipt_intro: "Your receipt number is",
    receipt_hint: "Keep it if you may want to ask us to delete your answers.",
    send_failed: "Your answers could not be sent.",
    already_sent: "You have already sent answers to this survey from this device, perhaps in another tab or window. These answers were not sent.",
    not_kept: "Your answers could not be sent, and this device cannot save them to send later. Keep this page open and try again when you are connected.",
    no_random_ids: "Sorry, this survey cannot be answered in this browser. It is missing a security feature that keeps your answers separate from other people’s. Please try a different browser or device.",
    erased_heading: "Your answers have been deleted",
    erased: "They were deleted at your request, or by the people who run this survey, and will not be stored again.",
    try_again: "Try again",
    unreachable_send: "Check your connection and try again. Your answers are kept on this device.",
    queued_heading: "Your answers are kept on this device",
    recorded_heading: "Thank you: your answers are recorded",
    recorded_body: "They are kept safely on this device until they are sent. Please hand it back to the person who gave it to you.",
    next_person: "Start again for the next person",
    stop_and_clear: "Stop and clear my answers",
    cleared: "Your answers have been cleared.",
    not_recorded: "Your answers could not be kept on this device, but they are still here. Please hand the device back to the person who gave it to you.",
    queued: "Waiting for a connection. Your answers will be sent as soon as it is back: keep this page open, or open it again later.",
    queued_busy: "The survey cannot take them just now. They will be sent as soon as it can: keep this page open, or open it again later.",
    not_found: "This survey could not be found. Check the link you were given.",
    closed: "This survey has closed and is no longer taking answers.",
    not_open_yet: "This survey is not open yet.",
    unreachable: "The survey could not be loaded. Check your connection and try again.",
    required_choice: "Select an answer",
    required_choices: "Select at least one answer",
    required_text: "Enter an answer",
    required_consent: "Tick the box to continue",
    not_a_number: "Enter a number",
    not_an_option: "Select one of the options",
    exclusive: "Select either “{option}” or other answers, not both",
    too_many: "Select no more than {n} answers",
    too_few: "Select at least {n} answers",
    too_long: "Enter {n} characters or fewer",
    between: "Enter a number between {min} and {max}",
    at_least: "Enter a number that is {min} or more",
    at_most: "Enter a number that is {max} or less",
    date_between: "The date must be between {min} and {max}",
    date_after: "The date must be on or after {min}",
    date_before: "The date must be on or before {max}",
    whole_number: "Enter a whole number",
    bad_date: "Enter a real date, for example 27 3 2024",
    bad_email: "Enter an email address in the correct format, like name@example.com",
    bad_phone: "Enter a telephone number, like 01632 960 001",
    bad_postcode: "Enter a full UK postcode, like EH1 1YZ",
    specify_missing: "Give details for the answer you chose",
    specify_not_chosen: "Choose the answer these details are for, or delete the details",
    other_problem: "Check this answer",
    named_problem: "{question}: {problem}",
    updates: "Updates",
    no_updates: "There are no updates yet.",
    you_said: "You said:",
    we_did: "We did:",
    full_report: "Read the full report",
    updates_link: "Read the updates on this survey",
    all_updates: "See all the updates",
    your_response: "Your response",
    stored_on: "Your answers were stored on {date}.",
    survey_open: "This survey is still taking answers.",
    see_response: "What happened to your answers",
    no_such_response: "There is no response with this receipt",
    no_such_response_hint: "It may have been withdrawn or deleted, or the receipt may be mistyped. A receipt looks like K7QF-3MXD.",
    too_many_lookups: "You have looked up a lot of receipts in a short time. Wait a minute, then try again.",
    withdraw: "Withdraw my response",
    withdraw_heading: "Withdraw your response?",
    withdraw_explain: "Your answers will be deleted from this survey for good and will not be used. This cannot be undone.",
    withdraw_confirm: "Yes, withdraw my response",
    withdraw_cancel: "No, keep my response",
    withdrawn_heading: "Your response has been withdrawn",
    withdrawn: "Your answers have been deleted and will not be used.",
    withdraw_failed: "Your response could not be withdrawn just now. Check your connection and try again.",
    withdrawing: "Withdrawing your response…",
    withdraw_refused: "This device cannot withdraw this response. Ask the people who run the survey to delete it, and give them your receipt number.",
    email_heading: "Tell me what happened",
    email_hint: "We can email you when there is news about this survey. We keep your address apart from your answers, use it for nothing else, and delete it after the last update.",
    email_label: "Email address",
    email_button: "Email me the news",
    email_kept: "Thank you. We will email you when there is news about this survey.",
    email_not_kept: "Your email address could not be saved just now. Check your connection and try again.",
    email_too_many: "You have sent a lot of answers and addresses in a short time. Wait a minute, then try again.",
    email_sending: "Saving your email address…",
    stages: [
        "Open for views",
        "Closed",
        "Looking at what you said",
        "What we did",
    ],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

const GD: Catalogue = Catalogue {
    locale: "gd",
    start: "Tòisich an-dràsta",
    continue_: "Lean air adhart",
    back: "Air ais",
    send: "Cuir mo fhreagairtean",
    page_of: "Duilleag {x} à {y}",
    error_prefix: "Mearachd:",
    there_is_a_problem: "Tha duilgheadas ann",
    optional: "(roghainneil)",
    privacy_heading: "Mar a chleachdas sinn na freagairtean agad",
    privacy_link: "Leugh am brath prìobhaideachd slàn",
    opens_in_new_tab: "(fosglaidh seo ann an taba ùr)",
    language: "Cànan",
    check_heading: "Thoir sùil air na freagairtean agad mus cuir thu iad",
    change: "Atharraich",
    not_answered: "Gun fhreagairt",
    yes: "Tha",
    or: "no",
    date_hint: "Mar eisimpleir, 27 3 2024",
    day: "Latha",
    month: "Mìos",
    year: "Bliadhna",
    chars_limit: "Faodaidh tu suas ri {n} caractaran a chur a-steach",
    chars_remaining: "Tha {n} caractaran air fhàgail agad",
    chars_remaining_one: "Tha 1 charactar air fhàgail agad",
    chars_too_many: "Tha {n} caractaran cus agad",
    chars_too_many_one: "Tha 1 charactar cus agad",
    specify_label: "Thoir barrachd fiosrachaidh",
    what_happens_next: "Dè thachras an ath rud",
    run_by: "Ga ruith le {organisation}",
    sending: "A’ cur nam freagairtean agad…",
    thank_you: "Tapadh leat, chaidh na freagairtean agad a chur",
    receipt_intro: "Seo an àireamh-chuidhteis agad",
    receipt_hint: "Cùm i ma dh’fhaodte gum bi thu airson iarraidh oirnn na freagairtean agad a sguabadh às.",
    send_failed: "Cha b’ urrainn dhuinn na freagairtean agad a chur.",
    already_sent: "Chuir thu freagairtean chun an t-suirbhidh seo on uidheam seo mu thràth, ’s dòcha ann an taba no uinneag eile. Cha deach na freagairtean seo a chur.",
    not_kept: "Cha b’ urrainn dhuinn na freagairtean agad a chur, agus chan urrainn dhan uidheam seo an sàbhaladh airson an cur an uairsin. Cùm an duilleag seo fosgailte is feuch a-rithist nuair a bhios ceangal agad.",
    no_random_ids: "Tha sinn duilich, chan urrainn dhut an suirbhidh seo a fhreagairt sa bhrabhsair seo. Tha feart tèarainteachd a dhìth air a chumas na freagairtean agad air leth bho fhreagairtean dhaoine eile. Feuch brabhsair no uidheam eile.",
    erased_heading: "Chaidh na freagairtean agad a sguabadh às",
    erased: "Chaidh an sguabadh às air d’ iarrtas, no leis na daoine a tha a’ ruith an t-suirbhidh seo, agus cha tèid an stòradh a-rithist.",
    try_again: "Feuch a-rithist",
    unreachable_send: "Thoir sùil air a’ cheangal agad is feuch a-rithist. Tha na freagairtean agad air an cumail air an uidheam seo.",
    queued_heading: "Tha na freagairtean agad gan cumail air an uidheam seo",
    recorded_heading: "Tapadh leat: tha na freagairtean agad air an clàradh",
    recorded_body: "Tha iad gan cumail sàbhailte air an uidheam seo gus an tèid an cur. Thoir air ais e don neach a thug dhut e.",
    next_person: "Tòisich às ùr airson an ath neach",
    stop_and_clear: "Sguir is glan às na freagairtean agam",
    cleared: "Chaidh na freagairtean agad a ghlanadh às.",
    not_recorded: "Cha b’ urrainn dhuinn na freagairtean agad a chumail air an uidheam seo, ach tha iad fhathast an seo. Thoir an uidheam air ais don neach a thug dhut e.",
    queued: "A’ feitheamh ri ceangal. Thèid na freagairtean agad a chur cho luath ’s a bhios an ceangal air ais: cùm an duilleag seo fosgailte, no fosgail i a-rithist uaireigin eile.",
    queued_busy: "Chan urrainn dhan t-suirbhidh gabhail riutha an-dràsta. Thèid an cur cho luath ’s a ghabhas: cùm an duilleag seo fosgailte, no fosgail i a-rithist uaireigin eile.",
    not_found: "Cha deach an suirbhidh seo a lorg. Thoir sùil air a’ cheangal a fhuair thu.",
    closed: "Tha an suirbhidh seo dùinte agus chan eil e a’ gabhail ri freagairtean tuilleadh.",
    not_open_yet: "Chan eil an suirbhidh seo fosgailte fhathast.",
    unreachable: "Cha b’ urrainn dhuinn an suirbhidh a luchdadh. Thoir sùil air a’ cheangal agad is feuch a-rithist.",
    required_choice: "Tagh freagairt",
    required_choices: "Tagh freagairt no dhà",
    required_text: "Cuir a-steach freagairt",
    required_consent: "Cuir strìochag sa bhogsa gus leantainn air adhart",
    not_a_number: "Cuir a-steach àireamh",
    not_an_option: "Tagh tè dhe na roghainnean",
    exclusive: "Tagh “{option}” no freagairtean eile, chan e an dà chuid",
    too_many: "Na tagh barrachd air {n} freagairtean",
    too_few: "Tagh co-dhiù {n} freagairtean",
    too_long: "Cuir a-steach {n} caractaran no nas lugha",
    between: "Cuir a-steach àireamh eadar {min} agus {max}",
    at_least: "Cuir a-steach àireamh a tha {min} no nas motha",
    at_most: "Cuir a-steach àireamh a tha {max} no nas lugha",
    date_between: "Feumaidh an ceann-latha a bhith eadar {min} agus {max}",
    date_after: "Feumaidh an ceann-latha a bhith air no às dèidh {min}",
    date_before: "Feumaidh an ceann-latha a bhith air no ro {max}",
    whole_number: "Cuir a-steach àireamh shlàn",
    bad_date: "Cuir a-steach ceann-latha fìor, mar eisimpleir 27 3 2024",
    bad_email: "Cuir a-steach seòladh puist-d sa chruth cheart, mar ainm@example.com",
    bad_phone: "Cuir a-steach àireamh fòn, mar 01632 960 001",
    bad_postcode: "Cuir a-steach còd-puist slàn RA, mar EH1 1YZ",
    specify_missing: "Thoir fiosrachadh mun fhreagairt a thagh thu",
    specify_not_chosen: "Tagh an fhreagairt dham buin am fiosrachadh seo, no sguab às am fiosrachadh",
    other_problem: "Thoir sùil air an fhreagairt seo",
    named_problem: "{question}: {problem}",
    updates: "Naidheachdan",
    no_updates: "Chan eil naidheachdan ann fhathast.",
    you_said: "Thuirt sibh:",
    we_did: "Rinn sinn:",
    full_report: "Leugh an aithisg shlàn",
    updates_link: "Leugh na naidheachdan mun t-suirbhidh seo",
    all_updates: "Faic na naidheachdan uile",
    your_response: "Do fhreagairt",
    stored_on: "Chaidh na freagairtean agad a shàbhaladh air {date}.",
    survey_open: "Tha an suirbhidh seo fhathast a' gabhail ri freagairtean.",
    see_response: "Na thachair dha na freagairtean agad",
    no_such_response: "Chan eil freagairt ann leis an àireamh-chuidhteis seo",
    no_such_response_hint: "Dh'fhaoidte gun deach a tharraing air ais no a sguabadh às, no gu bheil mearachd san àireamh. Tha àireamh-chuidhteis coltach ri K7QF-3MXD.",
    too_many_lookups: "Tha thu air sùil a thoirt air mòran àireamhan-cuidhteis ann an ùine ghoirid. Fuirich mionaid, an uair sin feuch a-rithist.",
    withdraw: "Tarraing air ais m' fhreagairt",
    withdraw_heading: "A bheil thu airson d' fhreagairt a tharraing air ais?",
    withdraw_explain: "Thèid na freagairtean agad a sguabadh às an t-suirbhidh seo gu buan agus cha tèid an cleachdadh. Chan urrainnear seo a thoirt air ais.",
    withdraw_confirm: "Tha, tarraing air ais m' fhreagairt",
    withdraw_cancel: "Chan eil, cùm m' fhreagairt",
    withdrawn_heading: "Chaidh d' fhreagairt a tharraing air ais",
    withdrawn: "Chaidh na freagairtean agad a sguabadh às agus cha tèid an cleachdadh.",
    withdraw_failed: "Cha b' urrainn dhuinn d' fhreagairt a tharraing air ais an-dràsta. Thoir sùil air a' cheangal agad is feuch a-rithist.",
    withdrawing: "A' tarraing air ais d' fhreagairt…",
    withdraw_refused: "Chan urrainn dhan uidheam seo an fhreagairt seo a tharraing air ais. Iarr air an fheadhainn a tha a' ruith an t-suirbhidh a sguabadh às, agus thoir dhaibh an àireamh-chuidhteis agad.",
    email_heading: "Innis dhomh dè thachair",
    email_hint: "Is urrainn dhuinn post-d a chur thugad nuair a bhios naidheachd ann mun t-suirbhidh seo. Cumaidh sinn an seòladh agad air leth bho na freagairtean agad, cha chleachd sinn e airson dad sam bith eile, agus sguabaidh sinn às e às dèidh na naidheachd mu dheireadh.",
    email_label: "Seòladh puist-d",
    email_button: "Cuir na naidheachdan thugam",
    email_kept: "Tapadh leat. Cuiridh sinn post-d thugad nuair a bhios naidheachd ann mun t-suirbhidh seo.",
    email_not_kept: "Cha b’ urrainn dhuinn an seòladh puist-d agad a shàbhaladh an-dràsta. Thoir sùil air a’ cheangal agad is feuch a-rithist.",
    email_too_many: "Chuir thu tòrr fhreagairtean is sheòlaidhean ann an ùine ghoirid. Fuirich mionaid, an uairsin feuch a-rithist.",
    email_sending: "A’ sàbhaladh an t-seòlaidh puist-d agad…",
    stages: [
        "Fosgailte do bheachdan",
        "Dùinte",
        "A' coimhead air na thuirt sibh",
        "Na rinn sinn",
    ],
    months: [
        "Faoilleach",
        "Gearran",
        "Màrt",
        "Giblean",
        "Cèitean",
        "Ògmhios",
        "Iuchar",
        "Lùnastal",
        "Sultain",
        "Dàmhair",
        "Samhain",
        "Dùbhlachd",
    ],
};

const PL: Catalogue = Catalogue {
    locale: "pl",
    start: "Rozpocznij",
    continue_: "Dalej",
    back: "Wstecz",
    send: "Wyślij odpowiedzi",
    page_of: "Strona {x} z {y}",
    error_prefix: "Błąd:",
    there_is_a_problem: "Wystąpił problem",
    optional: "(opcjonalnie)",
    privacy_heading: "Jak wykorzystujemy Twoje odpowiedzi",
    privacy_link: "Przeczytaj pełną informację o prywatności",
    opens_in_new_tab: "(otwiera się w nowej karcie)",
    language: "Język",
    check_heading: "Sprawdź odpowiedzi przed wysłaniem",
    change: "Zmień",
    not_answered: "Brak odpowiedzi",
    yes: "Tak",
    or: "lub",
    date_hint: "Na przykład 27 3 2024",
    day: "Dzień",
    month: "Miesiąc",
    year: "Rok",
    chars_limit: "Możesz wpisać do {n} znaków",
    chars_remaining: "Pozostało znaków: {n}",
    chars_remaining_one: "Pozostał 1 znak",
    chars_too_many: "Liczba znaków ponad limit: {n}",
    chars_too_many_one: "1 znak ponad limit",
    specify_label: "Podaj szczegóły",
    what_happens_next: "Co będzie dalej",
    run_by: "Prowadzi: {organisation}",
    sending: "Wysyłanie odpowiedzi…",
    thank_you: "Dziękujemy, Twoje odpowiedzi zostały wysłane",
    receipt_intro: "Twój numer potwierdzenia to",
    receipt_hint: "Zachowaj go, jeśli zechcesz poprosić nas o usunięcie odpowiedzi.",
    send_failed: "Nie udało się wysłać odpowiedzi.",
    already_sent: "Odpowiedzi na tę ankietę zostały już wysłane z tego urządzenia, być może w innej karcie lub oknie. Te odpowiedzi nie zostały wysłane.",
    not_kept: "Nie udało się wysłać odpowiedzi, a to urządzenie nie może ich zapisać, aby wysłać je później. Nie zamykaj tej strony i spróbuj ponownie, gdy połączenie wróci.",
    no_random_ids: "Przepraszamy, w tej przeglądarce nie można wypełnić tej ankiety. Brakuje w niej zabezpieczenia, które oddziela Twoje odpowiedzi od odpowiedzi innych osób. Użyj innej przeglądarki lub innego urządzenia.",
    erased_heading: "Twoje odpowiedzi zostały usunięte",
    erased: "Zostały usunięte na Twoją prośbę lub przez osoby prowadzące tę ankietę i nie zostaną ponownie zapisane.",
    try_again: "Spróbuj ponownie",
    unreachable_send: "Sprawdź połączenie i spróbuj ponownie. Twoje odpowiedzi są zachowane na tym urządzeniu.",
    queued_heading: "Twoje odpowiedzi są przechowywane na tym urządzeniu",
    recorded_heading: "Dziękujemy: Twoje odpowiedzi zostały zapisane",
    recorded_body: "Są bezpiecznie przechowywane na tym urządzeniu, dopóki nie zostaną wysłane. Oddaj je osobie, która Ci je dała.",
    next_person: "Zacznij od nowa dla następnej osoby",
    stop_and_clear: "Przerwij i wyczyść moje odpowiedzi",
    cleared: "Twoje odpowiedzi zostały wyczyszczone.",
    not_recorded: "Nie udało się zachować Twoich odpowiedzi na tym urządzeniu, ale nadal tu są. Oddaj urządzenie osobie, która Ci je dała.",
    queued: "Czekamy na połączenie. Odpowiedzi zostaną wysłane, gdy tylko połączenie wróci: nie zamykaj tej strony albo otwórz ją ponownie później.",
    queued_busy: "Ankieta nie może ich teraz przyjąć. Zostaną wysłane, gdy tylko będzie to możliwe: nie zamykaj tej strony albo otwórz ją ponownie później.",
    not_found: "Nie znaleziono tej ankiety. Sprawdź otrzymany link.",
    closed: "Ta ankieta jest zamknięta i nie przyjmuje już odpowiedzi.",
    not_open_yet: "Ta ankieta nie jest jeszcze otwarta.",
    unreachable: "Nie udało się wczytać ankiety. Sprawdź połączenie i spróbuj ponownie.",
    required_choice: "Wybierz odpowiedź",
    required_choices: "Wybierz co najmniej jedną odpowiedź",
    required_text: "Wpisz odpowiedź",
    required_consent: "Zaznacz pole, aby kontynuować",
    not_a_number: "Wpisz liczbę",
    not_an_option: "Wybierz jedną z opcji",
    exclusive: "Wybierz „{option}” albo inne odpowiedzi, nie jedno i drugie",
    too_many: "Wybierz nie więcej niż {n} odpowiedzi",
    too_few: "Wybierz co najmniej {n} odpowiedzi",
    too_long: "Wpisz nie więcej niż {n} znaków",
    between: "Wpisz liczbę od {min} do {max}",
    at_least: "Wpisz liczbę równą {min} lub większą",
    at_most: "Wpisz liczbę równą {max} lub mniejszą",
    date_between: "Data musi przypadać między {min} a {max}",
    date_after: "Data musi przypadać {min} lub później",
    date_before: "Data musi przypadać {max} lub wcześniej",
    whole_number: "Wpisz liczbę całkowitą",
    bad_date: "Wpisz prawdziwą datę, na przykład 27 3 2024",
    bad_email: "Wpisz adres e-mail w poprawnym formacie, np. imie@example.com",
    bad_phone: "Wpisz numer telefonu, np. 01632 960 001",
    bad_postcode: "Wpisz pełny brytyjski kod pocztowy, np. EH1 1YZ",
    specify_missing: "Podaj szczegóły wybranej odpowiedzi",
    specify_not_chosen: "Wybierz odpowiedź, której dotyczą te szczegóły, albo je usuń",
    other_problem: "Sprawdź tę odpowiedź",
    named_problem: "{question}: {problem}",
    updates: "Aktualności",
    no_updates: "Nie ma jeszcze aktualności.",
    you_said: "Powiedzieliście:",
    we_did: "Zrobiliśmy:",
    full_report: "Przeczytaj pełny raport",
    updates_link: "Przeczytaj aktualności o tej ankiecie",
    all_updates: "Zobacz wszystkie aktualności",
    your_response: "Twoja odpowiedź",
    stored_on: "Twoje odpowiedzi zapisano {date}.",
    survey_open: "Ta ankieta nadal przyjmuje odpowiedzi.",
    see_response: "Co stało się z Twoimi odpowiedziami",
    no_such_response: "Nie ma odpowiedzi z tym numerem potwierdzenia",
    no_such_response_hint: "Mogła zostać wycofana lub usunięta albo numer zawiera błąd. Numer potwierdzenia wygląda tak: K7QF-3MXD.",
    too_many_lookups: "W krótkim czasie sprawdzono wiele numerów potwierdzenia. Poczekaj minutę i spróbuj ponownie.",
    withdraw: "Wycofaj moją odpowiedź",
    withdraw_heading: "Wycofać Twoją odpowiedź?",
    withdraw_explain: "Twoje odpowiedzi zostaną trwale usunięte z tej ankiety i nie zostaną wykorzystane. Tego nie można cofnąć.",
    withdraw_confirm: "Tak, wycofaj moją odpowiedź",
    withdraw_cancel: "Nie, zachowaj moją odpowiedź",
    withdrawn_heading: "Twoja odpowiedź została wycofana",
    withdrawn: "Twoje odpowiedzi zostały usunięte i nie zostaną wykorzystane.",
    withdraw_failed: "Nie udało się teraz wycofać Twojej odpowiedzi. Sprawdź połączenie i spróbuj ponownie.",
    withdrawing: "Wycofujemy Twoją odpowiedź…",
    withdraw_refused: "Z tego urządzenia nie można wycofać tej odpowiedzi. Poproś organizatorów ankiety o jej usunięcie i podaj im swój numer potwierdzenia.",
    email_heading: "Chcę wiedzieć, co z tego wynikło",
    email_hint: "Możemy wysłać Ci e-mail, gdy pojawią się wiadomości o tej ankiecie. Twój adres przechowujemy osobno od odpowiedzi, nie używamy go do niczego innego i usuwamy go po ostatniej informacji.",
    email_label: "Adres e-mail",
    email_button: "Wysyłajcie mi wiadomości",
    email_kept: "Dziękujemy. Wyślemy Ci e-mail, gdy pojawią się wiadomości o tej ankiecie.",
    email_not_kept: "Nie udało się teraz zapisać Twojego adresu e-mail. Sprawdź połączenie i spróbuj ponownie.",
    email_too_many: "Wysłano wiele odpowiedzi i adresów w krótkim czasie. Odczekaj minutę i spróbuj ponownie.",
    email_sending: "Zapisywanie Twojego adresu e-mail…",
    stages: [
        "Zbieramy opinie",
        "Zamknięta",
        "Analizujemy Wasze opinie",
        "Co zrobiliśmy",
    ],
    months: [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
};

const AR: Catalogue = Catalogue {
    locale: "ar",
    start: "ابدأ الآن",
    continue_: "متابعة",
    back: "رجوع",
    send: "أرسل إجاباتي",
    page_of: "الصفحة {x} من {y}",
    error_prefix: "خطأ:",
    there_is_a_problem: "هناك مشكلة",
    optional: "(اختياري)",
    privacy_heading: "كيف نستخدم إجاباتك",
    privacy_link: "اقرأ إشعار الخصوصية الكامل",
    opens_in_new_tab: "(يفتح في علامة تبويب جديدة)",
    language: "اللغة",
    check_heading: "راجع إجاباتك قبل إرسالها",
    change: "تغيير",
    not_answered: "لم تتم الإجابة",
    yes: "نعم",
    or: "أو",
    date_hint: "على سبيل المثال، 27 3 2024",
    day: "اليوم",
    month: "الشهر",
    year: "السنة",
    chars_limit: "يمكنك إدخال ما يصل إلى {n} حرفًا",
    chars_remaining: "تبقى لديك {n} حرفًا",
    chars_remaining_one: "تبقى لديك حرف واحد",
    chars_too_many: "لديك {n} حرفًا زائدًا",
    chars_too_many_one: "لديك حرف واحد زائد",
    specify_label: "يرجى ذكر التفاصيل",
    what_happens_next: "ماذا سيحدث بعد ذلك",
    run_by: "تُديره {organisation}",
    sending: "جارٍ إرسال إجاباتك…",
    thank_you: "شكرًا لك، تم إرسال إجاباتك",
    receipt_intro: "رقم الإيصال الخاص بك هو",
    receipt_hint: "احتفظ به إذا كنت قد ترغب في أن تطلب منا حذف إجاباتك.",
    send_failed: "تعذر إرسال إجاباتك.",
    already_sent: "لقد أرسلت بالفعل إجابات على هذا الاستبيان من هذا الجهاز، ربما في علامة تبويب أو نافذة أخرى. لم تُرسل هذه الإجابات.",
    not_kept: "تعذر إرسال إجاباتك، ولا يستطيع هذا الجهاز حفظها لإرسالها لاحقًا. أبقِ هذه الصفحة مفتوحة وحاول مرة أخرى عندما تكون متصلًا.",
    no_random_ids: "عذرًا، لا يمكن الإجابة عن هذا الاستبيان في هذا المتصفح، لأنه يفتقد ميزة أمان تُبقي إجاباتك منفصلة عن إجابات الآخرين. يُرجى تجربة متصفح أو جهاز آخر.",
    erased_heading: "حُذفت إجاباتك",
    erased: "حُذفت بناءً على طلبك أو من قِبل القائمين على هذا الاستبيان، ولن تُحفظ مرة أخرى.",
    try_again: "حاول مرة أخرى",
    unreachable_send: "تحقق من اتصالك وحاول مرة أخرى. إجاباتك محفوظة على هذا الجهاز.",
    queued_heading: "إجاباتك محفوظة على هذا الجهاز",
    recorded_heading: "شكرًا لك: تم تسجيل إجاباتك",
    recorded_body: "إجاباتك محفوظة بأمان على هذا الجهاز حتى يتم إرسالها. يُرجى إعادته إلى الشخص الذي أعطاك إياه.",
    next_person: "ابدأ من جديد للشخص التالي",
    stop_and_clear: "توقّف وامسح إجاباتي",
    cleared: "تم مسح إجاباتك.",
    not_recorded: "تعذّر حفظ إجاباتك على هذا الجهاز، لكنها ما زالت هنا. يُرجى إعادة الجهاز إلى الشخص الذي أعطاك إياه.",
    queued: "في انتظار الاتصال. سيتم إرسال إجاباتك بمجرد عودة الاتصال: أبقِ هذه الصفحة مفتوحة، أو افتحها مرة أخرى لاحقًا.",
    queued_busy: "لا يمكن للاستبيان استلامها الآن. سيتم إرسالها في أقرب وقت ممكن: أبقِ هذه الصفحة مفتوحة، أو افتحها مرة أخرى لاحقًا.",
    not_found: "تعذر العثور على هذا الاستبيان. تحقق من الرابط الذي حصلت عليه.",
    closed: "تم إغلاق هذا الاستبيان ولم يعد يقبل الإجابات.",
    not_open_yet: "هذا الاستبيان غير مفتوح بعد.",
    unreachable: "تعذر تحميل الاستبيان. تحقق من اتصالك وحاول مرة أخرى.",
    required_choice: "اختر إجابة",
    required_choices: "اختر إجابة واحدة على الأقل",
    required_text: "أدخل إجابة",
    required_consent: "ضع علامة في المربع للمتابعة",
    not_a_number: "أدخل رقمًا",
    not_an_option: "اختر أحد الخيارات",
    exclusive: "اختر «{option}» أو إجابات أخرى، وليس كليهما",
    too_many: "لا تختر أكثر من {n} إجابات",
    too_few: "اختر {n} إجابات على الأقل",
    too_long: "أدخل {n} حرفًا أو أقل",
    between: "أدخل رقمًا بين {min} و{max}",
    at_least: "أدخل رقمًا يساوي {min} أو أكثر",
    at_most: "أدخل رقمًا يساوي {max} أو أقل",
    date_between: "يجب أن يكون التاريخ بين {min} و{max}",
    date_after: "يجب أن يكون التاريخ في {min} أو بعده",
    date_before: "يجب أن يكون التاريخ في {max} أو قبله",
    whole_number: "أدخل عددًا صحيحًا",
    bad_date: "أدخل تاريخًا حقيقيًا، مثلًا 27 3 2024",
    bad_email: "أدخل عنوان بريد إلكتروني بالتنسيق الصحيح، مثل name@example.com",
    bad_phone: "أدخل رقم هاتف، مثل 01632 960 001",
    bad_postcode: "أدخل رمزًا بريديًا كاملًا في المملكة المتحدة، مثل EH1 1YZ",
    specify_missing: "اذكر تفاصيل الإجابة التي اخترتها",
    specify_not_chosen: "اختر الإجابة التي تخصها هذه التفاصيل، أو احذف التفاصيل",
    other_problem: "تحقق من هذه الإجابة",
    named_problem: "{question}: {problem}",
    updates: "المستجدات",
    no_updates: "لا توجد مستجدات بعد.",
    you_said: "قلتم:",
    we_did: "فعلنا:",
    full_report: "اقرأ التقرير الكامل",
    updates_link: "اقرأ المستجدات حول هذا الاستبيان",
    all_updates: "اطّلع على جميع المستجدات",
    your_response: "إجابتك",
    stored_on: "حُفظت إجاباتك في {date}.",
    survey_open: "لا يزال هذا الاستبيان يستقبل الإجابات.",
    see_response: "ماذا حدث لإجاباتك",
    no_such_response: "لا توجد إجابة بهذا الرقم المرجعي",
    no_such_response_hint: "ربما سُحبت أو حُذفت، أو ربما كُتب الرقم المرجعي بشكل خاطئ. يبدو الرقم المرجعي هكذا: K7QF-3MXD.",
    too_many_lookups: "لقد بحثت عن أرقام مرجعية كثيرة في وقت قصير. انتظر دقيقة ثم حاول مرة أخرى.",
    withdraw: "اسحب إجابتي",
    withdraw_heading: "هل تريد سحب إجابتك؟",
    withdraw_explain: "ستُحذف إجاباتك من هذا الاستبيان نهائيًا ولن تُستخدم. لا يمكن التراجع عن ذلك.",
    withdraw_confirm: "نعم، اسحب إجابتي",
    withdraw_cancel: "لا، احتفظ بإجابتي",
    withdrawn_heading: "سُحبت إجابتك",
    withdrawn: "حُذفت إجاباتك ولن تُستخدم.",
    withdraw_failed: "تعذّر سحب إجابتك الآن. تحقّق من اتصالك وحاول مرة أخرى.",
    withdrawing: "جارٍ سحب إجابتك…",
    withdraw_refused: "لا يمكن سحب هذه الإجابة من هذا الجهاز. اطلب من القائمين على الاستبيان حذفها، وأعطهم رقمك المرجعي.",
    email_heading: "أخبروني بما حدث",
    email_hint: "يمكننا مراسلتك بالبريد الإلكتروني عند وجود أخبار عن هذا الاستبيان. نحفظ عنوانك بعيدًا عن إجاباتك، ولا نستخدمه لأي شيء آخر، ونحذفه بعد آخر تحديث.",
    email_label: "عنوان البريد الإلكتروني",
    email_button: "راسلوني بالأخبار",
    email_kept: "شكرًا لك. سنراسلك بالبريد الإلكتروني عند وجود أخبار عن هذا الاستبيان.",
    email_not_kept: "تعذّر حفظ عنوان بريدك الإلكتروني الآن. تحقّق من اتصالك وحاول مرة أخرى.",
    email_too_many: "لقد أرسلت الكثير من الإجابات والعناوين في وقت قصير. انتظر دقيقة، ثم حاول مرة أخرى.",
    email_sending: "جارٍ حفظ عنوان بريدك الإلكتروني…",
    stages: ["مفتوح لتلقي الآراء", "مغلق", "ندرس ما قلتموه", "ما فعلناه"],
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
};

const UR: Catalogue = Catalogue {
    locale: "ur",
    start: "ابھی شروع کریں",
    continue_: "جاری رکھیں",
    back: "واپس",
    send: "میرے جوابات بھیجیں",
    page_of: "صفحہ {x} از {y}",
    error_prefix: "خرابی:",
    there_is_a_problem: "ایک مسئلہ ہے",
    optional: "(اختیاری)",
    privacy_heading: "ہم آپ کے جوابات کیسے استعمال کرتے ہیں",
    privacy_link: "مکمل رازداری نوٹس پڑھیں",
    opens_in_new_tab: "(نئے ٹیب میں کھلتا ہے)",
    language: "زبان",
    check_heading: "بھیجنے سے پہلے اپنے جوابات چیک کریں",
    change: "تبدیل کریں",
    not_answered: "جواب نہیں دیا گیا",
    yes: "ہاں",
    or: "یا",
    date_hint: "مثال کے طور پر، 27 3 2024",
    day: "دن",
    month: "مہینہ",
    year: "سال",
    chars_limit: "آپ {n} حروف تک لکھ سکتے ہیں",
    chars_remaining: "آپ کے پاس {n} حروف باقی ہیں",
    chars_remaining_one: "آپ کے پاس 1 حرف باقی ہے",
    chars_too_many: "آپ نے {n} حروف زیادہ لکھے ہیں",
    chars_too_many_one: "آپ نے 1 حرف زیادہ لکھا ہے",
    specify_label: "براہ کرم تفصیل بتائیں",
    what_happens_next: "آگے کیا ہوگا",
    run_by: "چلانے والا ادارہ: {organisation}",
    sending: "آپ کے جوابات بھیجے جا رہے ہیں…",
    thank_you: "شکریہ، آپ کے جوابات بھیج دیے گئے ہیں",
    receipt_intro: "آپ کا رسید نمبر ہے",
    receipt_hint: "اگر آپ ہم سے اپنے جوابات حذف کرنے کو کہنا چاہیں تو اسے سنبھال کر رکھیں۔",
    send_failed: "آپ کے جوابات نہیں بھیجے جا سکے۔",
    already_sent: "آپ اس آلے سے اس سروے کے جوابات پہلے ہی بھیج چکے ہیں، شاید کسی دوسرے ٹیب یا ونڈو میں۔ یہ جوابات نہیں بھیجے گئے۔",
    not_kept: "آپ کے جوابات نہیں بھیجے جا سکے، اور یہ آلہ انہیں بعد میں بھیجنے کے لیے محفوظ نہیں کر سکتا۔ یہ صفحہ کھلا رکھیں اور کنکشن ملنے پر دوبارہ کوشش کریں۔",
    no_random_ids: "معذرت، اس براؤزر میں یہ سروے نہیں بھرا جا سکتا۔ اس میں ایک حفاظتی سہولت موجود نہیں جو آپ کے جوابات کو دوسرے لوگوں کے جوابات سے الگ رکھتی ہے۔ براہ کرم کوئی دوسرا براؤزر یا آلہ استعمال کریں۔",
    erased_heading: "آپ کے جوابات حذف کر دیے گئے ہیں",
    erased: "یہ آپ کی درخواست پر، یا اس سروے کو چلانے والوں کی طرف سے، حذف کیے گئے ہیں اور دوبارہ محفوظ نہیں کیے جائیں گے۔",
    try_again: "دوبارہ کوشش کریں",
    unreachable_send: "اپنا کنکشن چیک کریں اور دوبارہ کوشش کریں۔ آپ کے جوابات اس آلے پر محفوظ ہیں۔",
    queued_heading: "آپ کے جوابات اس آلے پر محفوظ ہیں",
    recorded_heading: "شکریہ: آپ کے جوابات ریکارڈ ہو گئے ہیں",
    recorded_body: "یہ بھیجے جانے تک اس آلے پر محفوظ رکھے گئے ہیں۔ براہِ کرم یہ آلہ اسی شخص کو واپس کر دیں جس نے آپ کو دیا تھا۔",
    next_person: "اگلے شخص کے لیے دوبارہ شروع کریں",
    stop_and_clear: "رکیں اور میرے جوابات مٹا دیں",
    cleared: "آپ کے جوابات مٹا دیے گئے ہیں۔",
    not_recorded: "آپ کے جوابات اس آلے پر محفوظ نہیں ہو سکے، لیکن وہ ابھی یہیں موجود ہیں۔ براہِ کرم یہ آلہ اسی شخص کو واپس کر دیں جس نے آپ کو دیا تھا۔",
    queued: "کنکشن کا انتظار ہے۔ کنکشن بحال ہوتے ہی آپ کے جوابات بھیج دیے جائیں گے: یہ صفحہ کھلا رکھیں، یا بعد میں دوبارہ کھولیں۔",
    queued_busy: "سروے ابھی انہیں وصول نہیں کر سکتا۔ جیسے ہی ممکن ہو انہیں بھیج دیا جائے گا: یہ صفحہ کھلا رکھیں، یا بعد میں دوبارہ کھولیں۔",
    not_found: "یہ سروے نہیں ملا۔ آپ کو دیا گیا لنک چیک کریں۔",
    closed: "یہ سروے بند ہو چکا ہے اور اب جوابات نہیں لے رہا۔",
    not_open_yet: "یہ سروے ابھی کھلا نہیں ہے۔",
    unreachable: "سروے لوڈ نہیں ہو سکا۔ اپنا کنکشن چیک کریں اور دوبارہ کوشش کریں۔",
    required_choice: "ایک جواب منتخب کریں",
    required_choices: "کم از کم ایک جواب منتخب کریں",
    required_text: "جواب درج کریں",
    required_consent: "جاری رکھنے کے لیے خانے پر نشان لگائیں",
    not_a_number: "ایک عدد درج کریں",
    not_an_option: "اختیارات میں سے ایک منتخب کریں",
    exclusive: "یا تو «{option}» منتخب کریں یا دوسرے جوابات، دونوں نہیں",
    too_many: "{n} سے زیادہ جوابات منتخب نہ کریں",
    too_few: "کم از کم {n} جوابات منتخب کریں",
    too_long: "{n} یا اس سے کم حروف درج کریں",
    between: "{min} اور {max} کے درمیان عدد درج کریں",
    at_least: "{min} یا اس سے زیادہ عدد درج کریں",
    at_most: "{max} یا اس سے کم عدد درج کریں",
    date_between: "تاریخ {min} اور {max} کے درمیان ہونی چاہیے",
    date_after: "تاریخ {min} یا اس کے بعد کی ہونی چاہیے",
    date_before: "تاریخ {max} یا اس سے پہلے کی ہونی چاہیے",
    whole_number: "پورا عدد درج کریں",
    bad_date: "اصل تاریخ درج کریں، مثال کے طور پر 27 3 2024",
    bad_email: "درست شکل میں ای میل پتہ درج کریں، جیسے name@example.com",
    bad_phone: "فون نمبر درج کریں، جیسے 01632 960 001",
    bad_postcode: "مکمل برطانوی پوسٹ کوڈ درج کریں، جیسے EH1 1YZ",
    specify_missing: "اپنے منتخب کردہ جواب کی تفصیل دیں",
    specify_not_chosen: "وہ جواب منتخب کریں جس کی یہ تفصیل ہے، یا تفصیل مٹا دیں",
    other_problem: "یہ جواب چیک کریں",
    named_problem: "{question}: {problem}",
    updates: "تازہ ترین معلومات",
    no_updates: "ابھی کوئی تازہ معلومات نہیں ہیں۔",
    you_said: "آپ نے کہا:",
    we_did: "ہم نے کیا:",
    full_report: "مکمل رپورٹ پڑھیں",
    updates_link: "اس سروے کے بارے میں تازہ معلومات پڑھیں",
    all_updates: "تمام تازہ معلومات دیکھیں",
    your_response: "آپ کا جواب",
    stored_on: "آپ کے جوابات {date} کو محفوظ کیے گئے۔",
    survey_open: "یہ سروے ابھی بھی جوابات لے رہا ہے۔",
    see_response: "آپ کے جوابات کا کیا ہوا",
    no_such_response: "اس رسید نمبر کے ساتھ کوئی جواب نہیں ہے",
    no_such_response_hint: "ہو سکتا ہے اسے واپس لے لیا گیا ہو یا حذف کر دیا گیا ہو، یا رسید نمبر غلط لکھا گیا ہو۔ رسید نمبر ایسا دکھائی دیتا ہے: K7QF-3MXD۔",
    too_many_lookups: "آپ نے کم وقت میں بہت سے رسید نمبر دیکھے ہیں۔ ایک منٹ انتظار کریں، پھر دوبارہ کوشش کریں۔",
    withdraw: "میرا جواب واپس لیں",
    withdraw_heading: "کیا آپ اپنا جواب واپس لینا چاہتے ہیں؟",
    withdraw_explain: "آپ کے جوابات اس سروے سے ہمیشہ کے لیے حذف کر دیے جائیں گے اور استعمال نہیں ہوں گے۔ اسے واپس نہیں کیا جا سکتا۔",
    withdraw_confirm: "جی ہاں، میرا جواب واپس لیں",
    withdraw_cancel: "نہیں، میرا جواب رکھیں",
    withdrawn_heading: "آپ کا جواب واپس لے لیا گیا ہے",
    withdrawn: "آپ کے جوابات حذف کر دیے گئے ہیں اور استعمال نہیں ہوں گے۔",
    withdraw_failed: "آپ کا جواب ابھی واپس نہیں لیا جا سکا۔ اپنا کنکشن چیک کریں اور دوبارہ کوشش کریں۔",
    withdrawing: "آپ کا جواب واپس لیا جا رہا ہے…",
    withdraw_refused: "اس ڈیوائس سے یہ جواب واپس نہیں لیا جا سکتا۔ سروے چلانے والوں سے اسے حذف کرنے کو کہیں، اور انہیں اپنا رسید نمبر دیں۔",
    email_heading: "مجھے بتائیں کہ کیا ہوا",
    email_hint: "اس سروے کے بارے میں کوئی خبر ہونے پر ہم آپ کو ای میل کر سکتے ہیں۔ ہم آپ کا پتہ آپ کے جوابات سے الگ رکھتے ہیں، اسے کسی اور کام کے لیے استعمال نہیں کرتے، اور آخری اپ ڈیٹ کے بعد اسے حذف کر دیتے ہیں۔",
    email_label: "ای میل پتہ",
    email_button: "مجھے خبریں ای میل کریں",
    email_kept: "شکریہ۔ اس سروے کے بارے میں کوئی خبر ہونے پر ہم آپ کو ای میل کریں گے۔",
    email_not_kept: "آپ کا ای میل پتہ ابھی محفوظ نہیں ہو سکا۔ اپنا کنکشن چیک کریں اور دوبارہ کوشش کریں۔",
    email_too_many: "آپ نے تھوڑے وقت میں بہت سے جوابات اور پتے بھیجے ہیں۔ ایک منٹ انتظار کریں، پھر دوبارہ کوشش کریں۔",
    email_sending: "آپ کا ای میل پتہ محفوظ کیا جا رہا ہے…",
    stages: [
        "رائے کے لیے کھلا ہے",
        "بند ہے",
        "ہم آپ کی باتوں کا جائزہ لے رہے ہیں",
        "ہم نے کیا کیا",
    ],
    months: [
        "جنوری",
        "فروری",
        "مارچ",
        "اپریل",
        "مئی",
        "جون",
        "جولائی",
        "اگست",
        "ستمبر",
        "اکتوبر",
        "نومبر",
        "دسمبر",
    ],
};

const CATALOGUES: [&Catalogue; 5] = [&EN, &GD, &PL, &AR, &UR];

/// The languages the widget's own words are written in.
pub fn catalogue_locales() -> impl Iterator<Item = &'static str> {
    CATALOGUES.iter().map(|c| c.locale)
}

/// The catalogue for `locale`, trying broader tags (`pl-PL` → `pl`), else English.
pub fn catalogue(locale: &str) -> &'static Catalogue {
    let mut candidate = locale;
    loop {
        if let Some(found) = CATALOGUES
            .iter()
            .find(|c| c.locale.eq_ignore_ascii_case(candidate))
        {
            return found;
        }
        match candidate.rsplit_once('-') {
            Some((broader, _)) => candidate = broader,
            None => return &EN,
        }
    }
}

/// Of words kept apart from the catalogue (emails, posters, paper), one per language in
/// `all` (English first), those for `locale`: the language the catalogue picks for it.
pub(crate) fn words_for<T>(
    locale: &str,
    all: &[&'static T],
    locale_of: fn(&T) -> &str,
) -> &'static T {
    let language = catalogue(locale).locale;
    all.iter()
        .copied()
        .find(|words| locale_of(words) == language)
        .unwrap_or(all[0])
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Catalogue {
    /// A stage of a survey's life, as its updates name it.
    pub fn stage(&self, stage: crate::outcomes::Stage) -> &'static str {
        use crate::outcomes::Stage;
        match stage {
            Stage::Open => self.stages[0],
            Stage::Closed => self.stages[1],
            Stage::Reviewing => self.stages[2],
            Stage::WhatWeDid => self.stages[3],
        }
    }

    /// A day written out ("20 November 2026"), as an update's date is shown.
    pub fn date(&self, date: crate::CalendarDate) -> String {
        let month = self.months[(date.month() as usize).saturating_sub(1) % 12];
        format!("{} {month} {}", date.day(), date.year())
    }

    /// "Page 2 of 4"
    pub fn page_of(&self, page: usize, pages: usize) -> String {
        fill(
            self.page_of,
            &[("x", &page.to_string()), ("y", &pages.to_string())],
        )
    }

    /// What the character count says for `length` characters of `max`.
    pub fn characters_left(&self, length: usize, max: usize) -> String {
        if length <= max {
            let left = max - length;
            if left == 1 {
                self.chars_remaining_one.to_owned()
            } else {
                fill(self.chars_remaining, &[("n", &left.to_string())])
            }
        } else {
            let over = length - max;
            if over == 1 {
                self.chars_too_many_one.to_owned()
            } else {
                fill(self.chars_too_many, &[("n", &over.to_string())])
            }
        }
    }

    /// What a respondent reading `locale` is told about `problem` with their answer to
    /// `question`, in the error summary and at the field alike. On a page of several
    /// questions a bare "Select an answer" leaves a screen-reader user guessing which one,
    /// so each message names its question (as GOV.UK's do): the author's own `error` for a
    /// question left unanswered, else the catalogue's message after the question's short
    /// label (or its label).
    pub fn message(&self, question: &Question, problem: &AnswerProblem, locale: &str) -> String {
        self.message_parts(question, problem, locale)
            .into_iter()
            .map(|(part, _)| part)
            .collect()
    }

    /// [`Catalogue::message`] in pieces, each with the survey text it comes from, if any:
    /// where that text has no translation into `locale`, the widget marks the piece with
    /// the language it is written in.
    pub fn message_parts<'q>(
        &self,
        question: &'q Question,
        problem: &AnswerProblem,
        locale: &str,
    ) -> Vec<(String, Option<&'q Text>)> {
        let unanswered = matches!(problem.kind(), ProblemKind::Required) && !problem.in_specify();
        if let Some(error) = question.error().filter(|_| unanswered) {
            return vec![(error.get(locale).trim().to_owned(), Some(error))];
        }
        let what = self.problem(problem.kind(), question.kind(), problem.in_specify());
        // The short label, unless only the label is written in the reader's language.
        let name_text = match question.short_label() {
            Some(short)
                if short.has_translation(locale) || !question.label().has_translation(locale) =>
            {
                short
            }
            _ => question.label(),
        };
        let name = name_text.get(locale).trim();
        // A question asked as one ("Which area do you live in?") reads on into its
        // message as a sentence of its own; any other name is followed by a colon.
        if name.ends_with(['?', '؟']) {
            return vec![
                (name.to_owned(), Some(name_text)),
                (format!(" {what}"), None),
            ];
        }
        let name = name.trim_end_matches([':', '.', '：']).trim_end();
        let (before, after) = self
            .named_problem
            .split_once("{question}")
            .unwrap_or(("", self.named_problem));
        let after = fill(after, &[("problem", &lowercase_first(&what))]);
        [
            (before.to_owned(), None),
            (name.to_owned(), Some(name_text)),
            (after, None),
        ]
        .into_iter()
        .filter(|(part, _)| !part.is_empty())
        .collect()
    }

    /// The message for a problem with an answer to a question of `kind`, without naming
    /// the question: [`Catalogue::message`] names it.
    pub fn problem(&self, problem: &ProblemKind, kind: &QuestionKind, in_specify: bool) -> String {
        match problem {
            ProblemKind::Required => match kind {
                QuestionKind::SingleChoice { .. } | QuestionKind::Rating { .. } => {
                    self.required_choice.to_owned()
                }
                QuestionKind::MultipleChoice { .. } => self.required_choices.to_owned(),
                QuestionKind::Consent => self.required_consent.to_owned(),
                QuestionKind::Date { .. } => self.bad_date.to_owned(),
                QuestionKind::Number { .. } => self.not_a_number.to_owned(),
                _ => self.required_text.to_owned(),
            },
            ProblemKind::WrongType { .. } => match kind {
                QuestionKind::Number { .. } => self.not_a_number.to_owned(),
                QuestionKind::Date { .. } => self.bad_date.to_owned(),
                _ => self.other_problem.to_owned(),
            },
            ProblemKind::NotAnOption { .. } | ProblemKind::Duplicate { .. } => {
                self.not_an_option.to_owned()
            }
            ProblemKind::Exclusive { option } => fill(self.exclusive, &[("option", option)]),
            ProblemKind::TooMany { max } => fill(self.too_many, &[("n", &max.to_string())]),
            ProblemKind::TooFew { min } => fill(self.too_few, &[("n", &min.to_string())]),
            ProblemKind::TooLong { max, .. } => fill(self.too_long, &[("n", &max.to_string())]),
            ProblemKind::OutOfRange { min, max } => match (min, max) {
                (Some(min), Some(max)) => fill(
                    self.between,
                    &[("min", &number(*min)), ("max", &number(*max))],
                ),
                (Some(min), None) => fill(self.at_least, &[("min", &number(*min))]),
                (None, Some(max)) => fill(self.at_most, &[("max", &number(*max))]),
                (None, None) => self.not_a_number.to_owned(),
            },
            ProblemKind::DateOutOfRange { min, max } => {
                let show =
                    |d: &crate::CalendarDate| format!("{} {} {}", d.day(), d.month(), d.year());
                match (min, max) {
                    (Some(min), Some(max)) => fill(
                        self.date_between,
                        &[("min", &show(min)), ("max", &show(max))],
                    ),
                    (Some(min), None) => fill(self.date_after, &[("min", &show(min))]),
                    (None, Some(max)) => fill(self.date_before, &[("max", &show(max))]),
                    (None, None) => self.bad_date.to_owned(),
                }
            }
            ProblemKind::NotInteger => self.whole_number.to_owned(),
            ProblemKind::BadDate => self.bad_date.to_owned(),
            ProblemKind::BadEmail => self.bad_email.to_owned(),
            ProblemKind::BadPhone => self.bad_phone.to_owned(),
            ProblemKind::BadPostcode => self.bad_postcode.to_owned(),
            ProblemKind::SpecifyMissing => self.specify_missing.to_owned(),
            ProblemKind::SpecifyUnexpected => self.specify_not_chosen.to_owned(),
            _ if in_specify => self.specify_missing.to_owned(),
            _ => self.other_problem.to_owned(),
        }
    }
}

/// "Enter a number" → "enter a number", to follow a colon; a word in capitals ("UK")
/// keeps them. ASCII only: Unicode's case tables would add 4 kB (brotli) to the widget,
/// and every catalogue's messages begin with an ASCII letter or a letter of a script
/// without case (a test below holds each catalogue to that).
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(|c| c.is_ascii_uppercase()) => {
            first.to_ascii_lowercase().to_string() + &message[first.len_utf8()..]
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_string() {
        for catalogue in CATALOGUES {
            let text = format!("{catalogue:?}");
            assert!(
                !text.contains(": \"\""),
                "{} has an empty string",
                catalogue.locale
            );
            assert!(
                catalogue.page_of.contains("{x}") && catalogue.page_of.contains("{y}"),
                "{}",
                catalogue.locale
            );
            assert!(
                catalogue.chars_limit.contains("{n}"),
                "{}",
                catalogue.locale
            );
            assert!(
                catalogue.between.contains("{min}") && catalogue.between.contains("{max}"),
                "{}",
                catalogue.locale
            );
            assert!(
                catalogue.exclusive.contains("{option}"),
                "{}",
                catalogue.locale
            );
        }
    }

    /// A problem's message follows a question's name with its first letter lowered, which
    /// the widget does for ASCII letters only.
    #[test]
    fn every_problem_message_can_follow_a_question_s_name() {
        for c in CATALOGUES {
            for message in [
                c.required_choice,
                c.required_choices,
                c.required_text,
                c.required_consent,
                c.not_a_number,
                c.not_an_option,
                c.exclusive,
                c.too_many,
                c.too_few,
                c.too_long,
                c.between,
                c.at_least,
                c.at_most,
                c.date_between,
                c.date_after,
                c.date_before,
                c.whole_number,
                c.bad_date,
                c.bad_email,
                c.bad_phone,
                c.bad_postcode,
                c.specify_missing,
                c.specify_not_chosen,
                c.other_problem,
            ] {
                let first = message.chars().next().unwrap();
                assert!(
                    first.is_ascii() || !first.is_uppercase(),
                    "{}: \"{message}\" begins with a capital the widget cannot lower",
                    c.locale
                );
            }
            assert!(
                c.named_problem.contains("{question}") && c.named_problem.contains("{problem}")
            );
        }
        assert_eq!(lowercase_first("Enter a number"), "enter a number");
        assert_eq!(lowercase_first("UK postcode"), "UK postcode");
        assert_eq!(lowercase_first("أدخل رقمًا"), "أدخل رقمًا");
    }

    #[test]
    fn picks_the_nearest_language() {
        assert_eq!(catalogue("pl-PL").locale, "pl");
        assert_eq!(catalogue("AR").locale, "ar");
        assert_eq!(catalogue("fr").locale, "en");
        assert_eq!(catalogue("gd").page_of(2, 4), "Duilleag 2 à 4");
    }

    #[test]
    fn counts_characters_left_and_over() {
        let en = catalogue("en");
        assert_eq!(
            en.characters_left(0, 200),
            "You have 200 characters remaining"
        );
        assert_eq!(
            en.characters_left(199, 200),
            "You have 1 character remaining"
        );
        assert_eq!(
            en.characters_left(201, 200),
            "You have 1 character too many"
        );
        assert_eq!(
            en.characters_left(210, 200),
            "You have 10 characters too many"
        );
    }
}
