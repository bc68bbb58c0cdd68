//! The words of a survey's update emails and of the page that stops them, in the widget's languages.
//!
//! Apart from the [`Catalogue`](crate::Catalogue) because only the collector says them:
//! the widget's wasm, which carries every catalogue entry to every phone, does not carry these.

use crate::catalogue::words_for;

/// One language's words. `{survey}` stands for the survey's title.
#[derive(Debug)]
pub struct MailWords {
    pub locale: &'static str,
    /// At the foot of every email: why the person gets it.
    pub why: &'static str,
    /// Before the link that stops the emails.
    pub stop: &'static str,
    /// At the foot of the email of the final update ("what we did").
    pub last: &'static str,
    /// Before the link to the survey's updates page.
    pub read_online: &'static str,
    /// The page an email's link opens: asks before stopping.
    pub unsubscribe_heading: &'static str,
    pub unsubscribe_explain: &'static str,
    pub unsubscribe_button: &'static str,
    /// Once stopped.
    pub unsubscribed_heading: &'static str,
    pub unsubscribed: &'static str,
    /// A link that holds no address (stopped already, or the updates have ended): said the
    /// same way whichever it was.
    pub unknown_heading: &'static str,
    pub unknown: &'static str,
}

const EN: MailWords = MailWords {
    locale: "en",
    why: "You are getting this email because you asked to hear what happened with the survey “{survey}”.",
    stop: "To stop these emails, open this link:",
    last: "This is the last email about this survey. We have now deleted your email address.",
    read_online: "Read this update online:",
    unsubscribe_heading: "Stop emails about this survey",
    unsubscribe_explain: "We will delete your email address and send you nothing more about the survey “{survey}”.",
    unsubscribe_button: "Stop the emails",
    unsubscribed_heading: "You will get no more emails",
    unsubscribed: "We have deleted your email address. You will get no more emails about this survey.",
    unknown_heading: "No emails to stop",
    unknown: "We hold no email address for this link. The emails may have been stopped already, or this survey’s updates have ended.",
};

const GD: MailWords = MailWords {
    locale: "gd",
    why: "Tha am post-d seo a’ tighinn thugad oir dh’iarr thu fios fhaighinn air dè thachair leis an t-suirbhidh “{survey}”.",
    stop: "Airson stad a chur air na puist-d seo, fosgail an ceangal seo:",
    last: "Seo am post-d mu dheireadh mun t-suirbhidh seo. Tha sinn a-nis air an seòladh puist-d agad a sguabadh às.",
    read_online: "Leugh an naidheachd seo air loidhne:",
    unsubscribe_heading: "Cuir stad air puist-d mun t-suirbhidh seo",
    unsubscribe_explain: "Sguabaidh sinn às an seòladh puist-d agad agus cha chuir sinn dad tuilleadh thugad mun t-suirbhidh “{survey}”.",
    unsubscribe_button: "Cuir stad air na puist-d",
    unsubscribed_heading: "Cha tig post-d tuilleadh thugad",
    unsubscribed: "Tha sinn air an seòladh puist-d agad a sguabadh às. Cha tig post-d tuilleadh thugad mun t-suirbhidh seo.",
    unknown_heading: "Chan eil puist-d ann airson stad a chur orra",
    unknown: "Chan eil seòladh puist-d againn airson a’ cheangail seo. Dh’fhaodadh gun deach stad a chur air na puist-d mu thràth, no gu bheil na naidheachdan mun t-suirbhidh seo seachad.",
};

const PL: MailWords = MailWords {
    locale: "pl",
    why: "Otrzymujesz tę wiadomość, ponieważ chcesz wiedzieć, co wynikło z ankiety „{survey}”.",
    stop: "Aby nie otrzymywać więcej tych wiadomości, otwórz ten link:",
    last: "To ostatnia wiadomość o tej ankiecie. Usunęliśmy już Twój adres e-mail.",
    read_online: "Przeczytaj tę informację w internecie:",
    unsubscribe_heading: "Rezygnacja z wiadomości o tej ankiecie",
    unsubscribe_explain: "Usuniemy Twój adres e-mail i nie wyślemy Ci już nic o ankiecie „{survey}”.",
    unsubscribe_button: "Nie wysyłajcie więcej wiadomości",
    unsubscribed_heading: "Nie dostaniesz więcej wiadomości",
    unsubscribed: "Usunęliśmy Twój adres e-mail. Nie dostaniesz więcej wiadomości o tej ankiecie.",
    unknown_heading: "Brak wiadomości do zatrzymania",
    unknown: "Nie mamy adresu e-mail dla tego linku. Być może zrezygnowano już z wiadomości albo informacje o tej ankiecie zostały zakończone.",
};

const AR: MailWords = MailWords {
    locale: "ar",
    why: "تصلك هذه الرسالة لأنك طلبت أن تعرف ما حدث في الاستبيان «{survey}».",
    stop: "لإيقاف هذه الرسائل، افتح هذا الرابط:",
    last: "هذه آخر رسالة عن هذا الاستبيان. لقد حذفنا الآن عنوان بريدك الإلكتروني.",
    read_online: "اقرأ هذا التحديث على الإنترنت:",
    unsubscribe_heading: "إيقاف الرسائل عن هذا الاستبيان",
    unsubscribe_explain: "سنحذف عنوان بريدك الإلكتروني ولن نرسل إليك أي شيء آخر عن الاستبيان «{survey}».",
    unsubscribe_button: "أوقفوا الرسائل",
    unsubscribed_heading: "لن تصلك رسائل أخرى",
    unsubscribed: "لقد حذفنا عنوان بريدك الإلكتروني. لن تصلك رسائل أخرى عن هذا الاستبيان.",
    unknown_heading: "لا توجد رسائل لإيقافها",
    unknown: "لا نحتفظ بأي عنوان بريد إلكتروني لهذا الرابط. ربما أُوقفت الرسائل من قبل، أو انتهت أخبار هذا الاستبيان.",
};

const UR: MailWords = MailWords {
    locale: "ur",
    why: "آپ کو یہ ای میل اس لیے ملی ہے کہ آپ نے سروے “{survey}” کے بارے میں یہ جاننا چاہا تھا کہ کیا ہوا۔",
    stop: "یہ ای میلز بند کرنے کے لیے یہ لنک کھولیں:",
    last: "اس سروے کے بارے میں یہ آخری ای میل ہے۔ ہم نے اب آپ کا ای میل پتہ حذف کر دیا ہے۔",
    read_online: "یہ اپ ڈیٹ آن لائن پڑھیں:",
    unsubscribe_heading: "اس سروے کے بارے میں ای میلز بند کریں",
    unsubscribe_explain: "ہم آپ کا ای میل پتہ حذف کر دیں گے اور سروے “{survey}” کے بارے میں آپ کو مزید کچھ نہیں بھیجیں گے۔",
    unsubscribe_button: "ای میلز بند کریں",
    unsubscribed_heading: "آپ کو مزید ای میلز نہیں ملیں گی",
    unsubscribed: "ہم نے آپ کا ای میل پتہ حذف کر دیا ہے۔ اس سروے کے بارے میں آپ کو مزید ای میلز نہیں ملیں گی۔",
    unknown_heading: "بند کرنے کے لیے کوئی ای میلز نہیں",
    unknown: "اس لنک کے لیے ہمارے پاس کوئی ای میل پتہ نہیں ہے۔ ہو سکتا ہے ای میلز پہلے ہی بند ہو چکی ہوں، یا اس سروے کی خبریں ختم ہو چکی ہوں۔",
};

const ALL: [&MailWords; 5] = [&EN, &GD, &PL, &AR, &UR];

/// The words for `locale`: the same language the widget's catalogue picks for it.
pub fn mail_words(locale: &str) -> &'static MailWords {
    words_for(locale, &ALL, |words| words.locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue_locales;

    #[test]
    fn every_language_of_the_widget_has_its_own_words() {
        for locale in catalogue_locales() {
            let words = mail_words(locale);
            assert_eq!(words.locale, locale, "no mail words for {locale}");
            let all = [
                words.why,
                words.stop,
                words.last,
                words.read_online,
                words.unsubscribe_heading,
                words.unsubscribe_explain,
                words.unsubscribe_button,
                words.unsubscribed_heading,
                words.unsubscribed,
                words.unknown_heading,
                words.unknown,
            ];
            assert!(all.iter().all(|w| !w.trim().is_empty()), "{locale}");
            assert!(
                words.why.contains("{survey}") && words.unsubscribe_explain.contains("{survey}")
            );
            if locale != "en" {
                assert_ne!(words.why, EN.why, "{locale} repeats the English");
            }
        }
        assert_eq!(mail_words("pl-PL").locale, "pl");
        assert_eq!(mail_words("xx").locale, "en");
    }
}
