//! The words of a survey's paper version (`/s/{id}/print`), in the widget's languages:
//! how to fill it in, and its routing written as instructions.
//!
//! Apart from the [`Catalogue`](crate::Catalogue) because only the collector prints them:
//! the widget's wasm does not carry these. Like the rest of the widget's words other than
//! English, they need a native speaker's review.

use crate::catalogue::words_for;

/// One language's words. A condition's clause (`answered_with` and the rest) is a whole
/// "if" clause, as each language puts it, so that `only_if` and `section_only_if` read on.
#[derive(Debug)]
pub struct PaperWords {
    pub locale: &'static str,
    /// Under the title: how to fill the form in.
    pub how: &'static str,
    pub tick_one: &'static str,
    pub tick_any: &'static str,
    pub write: &'static str,
    /// Under the three boxes of a date.
    pub date_parts: [&'static str; 3],
    /// Beside an answer that asks for details.
    pub give_details: &'static str,
    /// A multiple choice that takes at most `{max}`.
    pub tick_up_to: &'static str,
    /// A consent box.
    pub tick_to_agree: &'static str,
    /// `{condition}`: one or more clauses.
    pub only_if: &'static str,
    pub section_only_if: &'static str,
    /// For information meant for some readers only.
    pub read_only_if: &'static str,
    /// After a page's condition: where to carry on, question `{n}`, or the end.
    pub otherwise_go_to: &'static str,
    pub otherwise_end: &'static str,
    /// The clause before a list of clauses that must all hold, or one of which must.
    pub all_of: &'static str,
    pub one_of: &'static str,
    /// `{answers}` were given to question `{n}`.
    pub answered_with: &'static str,
    /// `{answers}` were not given to question `{n}`.
    pub answered_other: &'static str,
    /// Question `{n}` was answered.
    pub answered: &'static str,
    /// Question `{n}` was left blank.
    pub left_blank: &'static str,
    /// Between answers, and between clauses, either of which will do (with its spaces).
    pub or: &'static str,
    /// Between clauses that must all hold (with its spaces).
    pub and: &'static str,
    /// Around an answer named in an instruction.
    pub quotes: (&'static str, &'static str),
}

const EN: PaperWords = PaperWords {
    locale: "en",
    how: "Use a pen. Put a tick (✓) in a box to choose it, and write your answers in the spaces.",
    tick_one: "Tick one box.",
    tick_any: "Tick all that apply.",
    write: "Write your answer here.",
    date_parts: ["Day", "Month", "Year"],
    give_details: "Please give details:",
    tick_up_to: "Tick up to {max} boxes.",
    tick_to_agree: "Tick the box to say yes.",
    only_if: "Answer this question only {condition}.",
    section_only_if: "Answer the questions on this page only {condition}.",
    read_only_if: "Read this only {condition}.",
    otherwise_go_to: "If not, go to question {n}.",
    otherwise_end: "If not, go to the end of the form.",
    all_of: "if all of these are true",
    one_of: "if at least one of these is true",
    answered_with: "if you answered {answers} to question {n}",
    answered_other: "if you did not answer {answers} to question {n}",
    answered: "if you answered question {n}",
    left_blank: "if you left question {n} blank",
    or: " or ",
    and: " and ",
    quotes: ("“", "”"),
};

const GD: PaperWords = PaperWords {
    locale: "gd",
    how: "Cleachd peann. Cuir strìochag (✓) ann am bogsa airson a thaghadh, agus sgrìobh do fhreagairtean anns na beàrnan.",
    tick_one: "Cuir strìochag ann an aon bhogsa.",
    tick_any: "Cuir strìochag ris a h-uile fear a tha iomchaidh.",
    write: "Sgrìobh do fhreagairt an seo.",
    date_parts: ["Latha", "Mìos", "Bliadhna"],
    give_details: "Thoir fiosrachadh:",
    tick_up_to: "Cuir strìochag ann an suas ri {max} bogsaichean.",
    tick_to_agree: "Cuir strìochag sa bhogsa airson “tha” a ràdh.",
    only_if: "Freagair a’ cheist seo a-mhàin {condition}.",
    section_only_if: "Freagair na ceistean air an duilleag seo a-mhàin {condition}.",
    read_only_if: "Leugh seo a-mhàin {condition}.",
    otherwise_go_to: "Mura h-eil, rach gu ceist {n}.",
    otherwise_end: "Mura h-eil, rach gu deireadh an fhoirm.",
    all_of: "ma tha iad seo uile fìor",
    one_of: "ma tha co-dhiù aon dhiubh seo fìor",
    answered_with: "ma fhreagair thu {answers} do cheist {n}",
    answered_other: "mura do fhreagair thu {answers} do cheist {n}",
    answered: "ma fhreagair thu ceist {n}",
    left_blank: "mura do fhreagair thu ceist {n}",
    or: " no ",
    and: " agus ",
    quotes: ("“", "”"),
};

const PL: PaperWords = PaperWords {
    locale: "pl",
    how: "Użyj długopisu. Postaw znak (✓) w kratce, aby ją wybrać, a odpowiedzi wpisz w wolnych miejscach.",
    tick_one: "Zaznacz jedną kratkę.",
    tick_any: "Zaznacz wszystkie pasujące odpowiedzi.",
    write: "Wpisz odpowiedź tutaj.",
    date_parts: ["Dzień", "Miesiąc", "Rok"],
    give_details: "Podaj szczegóły:",
    tick_up_to: "Zaznacz najwyżej {max} kratki.",
    tick_to_agree: "Zaznacz kratkę, aby się zgodzić.",
    only_if: "Odpowiedz na to pytanie tylko wtedy, {condition}.",
    section_only_if: "Odpowiedz na pytania na tej stronie tylko wtedy, {condition}.",
    read_only_if: "Przeczytaj to tylko wtedy, {condition}.",
    otherwise_go_to: "Jeśli nie, przejdź do pytania {n}.",
    otherwise_end: "Jeśli nie, przejdź na koniec formularza.",
    all_of: "jeśli spełnione są wszystkie poniższe warunki",
    one_of: "jeśli spełniony jest co najmniej jeden z poniższych warunków",
    answered_with: "jeśli odpowiedź na pytanie {n} brzmiała {answers}",
    answered_other: "jeśli odpowiedź na pytanie {n} była inna niż {answers}",
    answered: "jeśli udzielono odpowiedzi na pytanie {n}",
    left_blank: "jeśli pytanie {n} pozostało bez odpowiedzi",
    or: " lub ",
    and: " i ",
    quotes: ("„", "”"),
};

const AR: PaperWords = PaperWords {
    locale: "ar",
    how: "استخدم قلمًا. ضع علامة (✓) في المربع لاختياره، واكتب إجاباتك في الفراغات.",
    tick_one: "ضع علامة في مربع واحد.",
    tick_any: "ضع علامة على كل ما ينطبق.",
    write: "اكتب إجابتك هنا.",
    date_parts: ["اليوم", "الشهر", "السنة"],
    give_details: "يرجى ذكر التفاصيل:",
    tick_up_to: "ضع علامة في {max} مربعات على الأكثر.",
    tick_to_agree: "ضع علامة في المربع للموافقة.",
    only_if: "أجب عن هذا السؤال فقط {condition}.",
    section_only_if: "أجب عن أسئلة هذه الصفحة فقط {condition}.",
    read_only_if: "اقرأ هذا فقط {condition}.",
    otherwise_go_to: "وإلا فانتقل إلى السؤال {n}.",
    otherwise_end: "وإلا فانتقل إلى نهاية الاستمارة.",
    all_of: "إذا كان كل ما يلي صحيحًا",
    one_of: "إذا كان واحد على الأقل مما يلي صحيحًا",
    answered_with: "إذا كانت إجابتك عن السؤال {n} هي {answers}",
    answered_other: "إذا كانت إجابتك عن السؤال {n} غير {answers}",
    answered: "إذا أجبت عن السؤال {n}",
    left_blank: "إذا تركت السؤال {n} دون إجابة",
    or: " أو ",
    // Written joined to the word after it.
    and: " و",
    quotes: ("«", "»"),
};

const UR: PaperWords = PaperWords {
    locale: "ur",
    how: "قلم استعمال کریں۔ کسی خانے کو منتخب کرنے کے لیے اس میں (✓) کا نشان لگائیں، اور اپنے جوابات خالی جگہوں میں لکھیں۔",
    tick_one: "ایک خانے پر نشان لگائیں۔",
    tick_any: "جو بھی لاگو ہوں ان سب پر نشان لگائیں۔",
    write: "اپنا جواب یہاں لکھیں۔",
    date_parts: ["دن", "مہینہ", "سال"],
    give_details: "براہ کرم تفصیل بتائیں:",
    tick_up_to: "زیادہ سے زیادہ {max} خانوں پر نشان لگائیں۔",
    tick_to_agree: "رضامندی کے لیے خانے پر نشان لگائیں۔",
    only_if: "{condition} تو ہی اس سوال کا جواب دیں۔",
    section_only_if: "{condition} تو ہی اس صفحے کے سوالات کے جواب دیں۔",
    read_only_if: "{condition} تو ہی یہ پڑھیں۔",
    otherwise_go_to: "ورنہ سوال {n} پر جائیں۔",
    otherwise_end: "ورنہ فارم کے آخر پر جائیں۔",
    all_of: "اگر یہ سب باتیں درست ہیں",
    one_of: "اگر ان میں سے کم از کم ایک بات درست ہے",
    answered_with: "اگر سوال {n} کا آپ کا جواب {answers} ہے",
    answered_other: "اگر سوال {n} کا آپ کا جواب {answers} کے علاوہ ہے",
    answered: "اگر آپ نے سوال {n} کا جواب دیا ہے",
    left_blank: "اگر آپ نے سوال {n} خالی چھوڑا ہے",
    or: " یا ",
    and: " اور ",
    quotes: ("“", "”"),
};

const SCO: PaperWords = PaperWords {
    locale: "sco",
    how: "Uise a pen. Pit a tick (✓) in a box tae chuise it, an write yer answers in the spaces.",
    tick_one: "Tick ae box.",
    tick_any: "Tick aw that apply.",
    write: "Write yer answer here.",
    date_parts: ["Day", "Month", "Year"],
    give_details: "Please gie details:",
    tick_up_to: "Tick up tae {max} boxes.",
    tick_to_agree: "Tick the box tae say aye.",
    only_if: "Answer this question ainly {condition}.",
    section_only_if: "Answer the questions on this page ainly {condition}.",
    read_only_if: "Read this ainly {condition}.",
    otherwise_go_to: "If no, gang tae question {n}.",
    otherwise_end: "If no, gang tae the end o the form.",
    all_of: "if aw o thir is true",
    one_of: "if at least ane o thir is true",
    answered_with: "if ye answered {answers} tae question {n}",
    answered_other: "if ye didna answer {answers} tae question {n}",
    answered: "if ye answered question {n}",
    left_blank: "if ye left question {n} blank",
    or: " or ",
    and: " an ",
    quotes: ("“", "”"),
};

const ZH_HANS: PaperWords = PaperWords {
    locale: "zh-Hans",
    how: "请用笔填写。在方框内打勾（✓）表示选择，并在空白处写下您的答案。",
    tick_one: "请勾选一个方框。",
    tick_any: "请勾选所有适用的方框。",
    write: "请在这里写下您的答案。",
    date_parts: ["日", "月", "年"],
    give_details: "请说明详情：",
    tick_up_to: "最多勾选{max}个方框。",
    tick_to_agree: "如果同意，请勾选方框。",
    only_if: "仅当{condition}时，才需回答本题。",
    section_only_if: "仅当{condition}时，才需回答本页的问题。",
    read_only_if: "仅当{condition}时，才需阅读这部分内容。",
    otherwise_go_to: "否则，请跳到第{n}题。",
    otherwise_end: "否则，请跳到问卷末尾。",
    all_of: "以下各项全部符合",
    one_of: "以下至少一项符合",
    answered_with: "您在第{n}题的答案是{answers}",
    answered_other: "您在第{n}题的答案不是{answers}",
    answered: "您回答了第{n}题",
    left_blank: "您没有回答第{n}题",
    // Chinese writes no spaces between words.
    or: "或",
    and: "，并且",
    quotes: ("“", "”"),
};

const ZH_HANT: PaperWords = PaperWords {
    locale: "zh-Hant",
    how: "請用筆填寫。在方格內加上剔號（✓）表示選擇，並在空位寫上你的答案。",
    tick_one: "請剔選一個方格。",
    tick_any: "請剔選所有適用的方格。",
    write: "請在此寫上你的答案。",
    date_parts: ["日", "月", "年"],
    give_details: "請提供詳情：",
    tick_up_to: "最多剔選{max}個方格。",
    tick_to_agree: "如同意，請剔選方格。",
    only_if: "只有當{condition}時，才需回答此題。",
    section_only_if: "只有當{condition}時，才需回答本頁的問題。",
    read_only_if: "只有當{condition}時，才需閱讀這部分。",
    otherwise_go_to: "否則，請跳到第{n}題。",
    otherwise_end: "否則，請跳到問卷末尾。",
    all_of: "以下各項全部符合",
    one_of: "以下最少一項符合",
    answered_with: "你第{n}題的答案是{answers}",
    answered_other: "你第{n}題的答案不是{answers}",
    answered: "你有回答第{n}題",
    left_blank: "你沒有回答第{n}題",
    // Chinese writes no spaces between words.
    or: "或",
    and: "，而且",
    quotes: ("「", "」"),
};

const PA: PaperWords = PaperWords {
    locale: "pa",
    how: "ਪੈੱਨ ਵਰਤੋ। ਕੋਈ ਡੱਬਾ ਚੁਣਨ ਲਈ ਉਸ ਵਿੱਚ ਸਹੀ ਦਾ ਨਿਸ਼ਾਨ (✓) ਲਗਾਓ, ਅਤੇ ਆਪਣੇ ਜਵਾਬ ਖਾਲੀ ਥਾਵਾਂ ਵਿੱਚ ਲਿਖੋ।",
    tick_one: "ਇੱਕ ਡੱਬੇ ਵਿੱਚ ਨਿਸ਼ਾਨ ਲਗਾਓ।",
    tick_any: "ਜਿੰਨੇ ਵੀ ਲਾਗੂ ਹੁੰਦੇ ਹਨ, ਉਹਨਾਂ ਸਾਰਿਆਂ ਵਿੱਚ ਨਿਸ਼ਾਨ ਲਗਾਓ।",
    write: "ਆਪਣਾ ਜਵਾਬ ਇੱਥੇ ਲਿਖੋ।",
    date_parts: ["ਦਿਨ", "ਮਹੀਨਾ", "ਸਾਲ"],
    give_details: "ਕਿਰਪਾ ਕਰਕੇ ਵੇਰਵੇ ਦਿਓ:",
    tick_up_to: "ਵੱਧ ਤੋਂ ਵੱਧ {max} ਡੱਬਿਆਂ ਵਿੱਚ ਨਿਸ਼ਾਨ ਲਗਾਓ।",
    tick_to_agree: "ਹਾਂ ਕਹਿਣ ਲਈ ਡੱਬੇ ਵਿੱਚ ਨਿਸ਼ਾਨ ਲਗਾਓ।",
    // The condition comes first in Punjabi ("if …, only then answer"), as in Urdu.
    only_if: "{condition}, ਤਾਂ ਹੀ ਇਸ ਸਵਾਲ ਦਾ ਜਵਾਬ ਦਿਓ।",
    section_only_if: "{condition}, ਤਾਂ ਹੀ ਇਸ ਪੰਨੇ ਦੇ ਸਵਾਲਾਂ ਦੇ ਜਵਾਬ ਦਿਓ।",
    read_only_if: "{condition}, ਤਾਂ ਹੀ ਇਹ ਪੜ੍ਹੋ।",
    otherwise_go_to: "ਨਹੀਂ ਤਾਂ, ਸਵਾਲ {n} ’ਤੇ ਜਾਓ।",
    otherwise_end: "ਨਹੀਂ ਤਾਂ, ਫਾਰਮ ਦੇ ਅਖੀਰ ’ਤੇ ਜਾਓ।",
    all_of: "ਜੇ ਇਹ ਸਾਰੀਆਂ ਗੱਲਾਂ ਸਹੀ ਹਨ",
    one_of: "ਜੇ ਇਹਨਾਂ ਵਿੱਚੋਂ ਘੱਟੋ-ਘੱਟ ਇੱਕ ਗੱਲ ਸਹੀ ਹੈ",
    answered_with: "ਜੇ ਤੁਸੀਂ ਸਵਾਲ {n} ਦਾ ਜਵਾਬ {answers} ਦਿੱਤਾ ਹੈ",
    answered_other: "ਜੇ ਤੁਸੀਂ ਸਵਾਲ {n} ਦਾ ਜਵਾਬ {answers} ਨਹੀਂ ਦਿੱਤਾ",
    answered: "ਜੇ ਤੁਸੀਂ ਸਵਾਲ {n} ਦਾ ਜਵਾਬ ਦਿੱਤਾ ਹੈ",
    left_blank: "ਜੇ ਤੁਸੀਂ ਸਵਾਲ {n} ਖਾਲੀ ਛੱਡਿਆ ਹੈ",
    or: " ਜਾਂ ",
    and: " ਅਤੇ ",
    quotes: ("“", "”"),
};

const RO: PaperWords = PaperWords {
    locale: "ro",
    how: "Folosiți un pix. Puneți o bifă (✓) într-o căsuță pentru a o alege și scrieți răspunsurile în spațiile libere.",
    tick_one: "Bifați o singură căsuță.",
    tick_any: "Bifați toate variantele potrivite.",
    write: "Scrieți răspunsul aici.",
    date_parts: ["Ziua", "Luna", "Anul"],
    give_details: "Vă rugăm să oferiți detalii:",
    // Said without a counted noun, so that 20 and more need no "de".
    tick_up_to: "Numărul maxim de căsuțe pe care le puteți bifa: {max}.",
    tick_to_agree: "Bifați căsuța pentru a răspunde „da”.",
    only_if: "Răspundeți la această întrebare numai {condition}.",
    section_only_if: "Răspundeți la întrebările de pe această pagină numai {condition}.",
    read_only_if: "Citiți acest text numai {condition}.",
    otherwise_go_to: "Dacă nu, treceți la întrebarea {n}.",
    otherwise_end: "Dacă nu, treceți la sfârșitul formularului.",
    all_of: "dacă toate afirmațiile de mai jos sunt adevărate",
    one_of: "dacă cel puțin una dintre afirmațiile de mai jos este adevărată",
    answered_with: "dacă ați răspuns {answers} la întrebarea {n}",
    answered_other: "dacă nu ați răspuns {answers} la întrebarea {n}",
    answered: "dacă ați răspuns la întrebarea {n}",
    left_blank: "dacă ați lăsat întrebarea {n} necompletată",
    or: " sau ",
    and: " și ",
    quotes: ("„", "”"),
};

const UK: PaperWords = PaperWords {
    locale: "uk",
    how: "Пишіть ручкою. Щоб вибрати варіант, поставте позначку (✓) у клітинці, а відповіді пишіть у відведених місцях.",
    tick_one: "Позначте одну клітинку.",
    tick_any: "Позначте всі варіанти, що підходять.",
    write: "Напишіть відповідь тут.",
    date_parts: ["День", "Місяць", "Рік"],
    give_details: "Будь ласка, надайте подробиці:",
    tick_up_to: "Позначте до {max} клітинок.",
    tick_to_agree: "Позначте клітинку, щоб погодитися.",
    only_if: "Дайте відповідь на це запитання, лише {condition}.",
    section_only_if: "Дайте відповіді на запитання на цій сторінці, лише {condition}.",
    read_only_if: "Прочитайте це, лише {condition}.",
    otherwise_go_to: "Якщо ні, перейдіть до запитання {n}.",
    otherwise_end: "Якщо ні, перейдіть у кінець анкети.",
    all_of: "якщо виконуються всі ці умови",
    one_of: "якщо виконується принаймні одна з цих умов",
    answered_with: "якщо Ви відповіли {answers} на запитання {n}",
    answered_other: "якщо Ви не відповіли {answers} на запитання {n}",
    answered: "якщо Ви відповіли на запитання {n}",
    left_blank: "якщо Ви залишили запитання {n} без відповіді",
    or: " або ",
    and: " і ",
    quotes: ("«", "»"),
};

const EN_EASY: PaperWords = PaperWords {
    locale: "en-x-easy",
    how: "Use a pen. Put a tick like this ✓ in a box to choose an answer. Write your answers in the empty spaces.",
    tick_one: "Tick 1 box.",
    tick_any: "Tick all the answers that are right for you.",
    write: "Write your answer in this space.",
    date_parts: ["Day", "Month", "Year"],
    give_details: "Tell us more:",
    tick_up_to: "You can tick up to {max} boxes.",
    tick_to_agree: "Put a tick in the box to say yes.",
    only_if: "Only answer this question {condition}.",
    section_only_if: "Only answer the questions on this page {condition}.",
    read_only_if: "Only read this {condition}.",
    otherwise_go_to: "If not, go to question {n} next.",
    otherwise_end: "If not, go to the end.",
    all_of: "if all these things are true",
    one_of: "if 1 or more of these things are true",
    answered_with: "if your answer to question {n} was {answers}",
    answered_other: "if your answer to question {n} was not {answers}",
    answered: "if you gave an answer to question {n}",
    left_blank: "if you did not answer question {n}",
    or: " or ",
    and: " and ",
    quotes: ("“", "”"),
};

const ALL: [&PaperWords; 12] = [
    &EN, &EN_EASY, &GD, &SCO, &PL, &AR, &UR, &ZH_HANS, &ZH_HANT, &PA, &RO, &UK,
];

/// The words for `locale`: the same language the widget's catalogue picks for it.
pub fn paper_words(locale: &str) -> &'static PaperWords {
    words_for(locale, &ALL, |words| words.locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue_locales;

    #[test]
    fn every_language_of_the_widget_has_its_own_words() {
        for locale in catalogue_locales() {
            let words = paper_words(locale);
            assert_eq!(words.locale, locale, "no paper words for {locale}");
            for (template, holes) in [
                (words.only_if, &["{condition}"][..]),
                (words.section_only_if, &["{condition}"]),
                (words.answered_with, &["{answers}", "{n}"]),
                (words.answered_other, &["{answers}", "{n}"]),
                (words.answered, &["{n}"]),
                (words.left_blank, &["{n}"]),
                (words.read_only_if, &["{condition}"]),
                (words.otherwise_go_to, &["{n}"]),
                (words.tick_up_to, &["{max}"]),
            ] {
                for hole in holes {
                    assert!(template.contains(hole), "{locale}: {template} lacks {hole}");
                }
            }
        }
    }
}
