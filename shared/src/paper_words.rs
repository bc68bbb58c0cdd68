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

const ALL: [&PaperWords; 5] = [&EN, &GD, &PL, &AR, &UR];

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
