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

const SCO: MailWords = MailWords {
    locale: "sco",
    why: "Ye’re gettin this email acause ye askit tae hear whit happened wi the survey “{survey}”.",
    stop: "Tae stop thir emails, open this link:",
    last: "This is the last email aboot this survey. We hae noo deletit yer email address.",
    read_online: "Ye can read this update online:",
    unsubscribe_heading: "Stop emails aboot this survey",
    unsubscribe_explain: "We’ll delete yer email address an send ye naethin mair aboot the survey “{survey}”.",
    unsubscribe_button: "Stop thir emails",
    unsubscribed_heading: "Ye’ll get nae mair emails",
    unsubscribed: "We hae deletit yer email address. Ye’ll get nae mair emails aboot this survey.",
    unknown_heading: "Nae emails tae stop",
    unknown: "We dinna haud ony email address for this link. The emails micht hae been stoppit awready, or this survey’s updates hae come tae an end.",
};

const ZH_HANS: MailWords = MailWords {
    locale: "zh-Hans",
    why: "您收到这封电子邮件，是因为您希望了解问卷“{survey}”的后续情况。",
    stop: "如果不想再收到这些电子邮件，请打开这个链接：",
    last: "这是关于这份问卷的最后一封电子邮件。我们现在已删除您的电子邮箱地址。",
    read_online: "在网上阅读这次进展：",
    unsubscribe_heading: "不再接收关于这份问卷的电子邮件",
    unsubscribe_explain: "我们将删除您的电子邮箱地址，不会再向您发送关于问卷“{survey}”的任何信息。",
    unsubscribe_button: "停止发送电子邮件",
    unsubscribed_heading: "您不会再收到电子邮件",
    unsubscribed: "我们已删除您的电子邮箱地址。您不会再收到关于这份问卷的电子邮件。",
    unknown_heading: "没有需要停止的电子邮件",
    unknown: "我们没有与这个链接对应的电子邮箱地址。这些电子邮件可能已经停止发送，或者这份问卷的进展通知已经结束。",
};

const ZH_HANT: MailWords = MailWords {
    locale: "zh-Hant",
    why: "你收到這封電郵，是因為你希望知道問卷「{survey}」的後續情況。",
    stop: "如不想再收到這些電郵，請開啟這個連結：",
    last: "這是有關這份問卷的最後一封電郵。我們現已刪除你的電郵地址。",
    read_online: "在網上閱讀這則最新消息：",
    unsubscribe_heading: "停止接收有關這份問卷的電郵",
    unsubscribe_explain: "我們會刪除你的電郵地址，不會再向你發送任何有關問卷「{survey}」的資訊。",
    unsubscribe_button: "停止接收電郵",
    unsubscribed_heading: "你不會再收到電郵",
    unsubscribed: "我們已刪除你的電郵地址。你不會再收到有關這份問卷的電郵。",
    unknown_heading: "沒有需要停止的電郵",
    unknown: "我們沒有這個連結對應的電郵地址。這些電郵可能已經停止發送，或這份問卷的最新消息已經完結。",
};

const PA: MailWords = MailWords {
    locale: "pa",
    why: "ਤੁਹਾਨੂੰ ਇਹ ਈਮੇਲ ਇਸ ਲਈ ਮਿਲੀ ਹੈ ਕਿਉਂਕਿ ਤੁਸੀਂ ਇਹ ਜਾਣਨਾ ਚਾਹਿਆ ਸੀ ਕਿ ਸਰਵੇਖਣ “{survey}” ਦਾ ਕੀ ਬਣਿਆ।",
    stop: "ਇਹ ਈਮੇਲਾਂ ਬੰਦ ਕਰਨ ਲਈ, ਇਹ ਲਿੰਕ ਖੋਲ੍ਹੋ:",
    last: "ਇਸ ਸਰਵੇਖਣ ਬਾਰੇ ਇਹ ਆਖਰੀ ਈਮੇਲ ਹੈ। ਅਸੀਂ ਹੁਣ ਤੁਹਾਡਾ ਈਮੇਲ ਪਤਾ ਮਿਟਾ ਦਿੱਤਾ ਹੈ।",
    read_online: "ਇਹ ਅੱਪਡੇਟ ਔਨਲਾਈਨ ਪੜ੍ਹੋ:",
    unsubscribe_heading: "ਇਸ ਸਰਵੇਖਣ ਬਾਰੇ ਈਮੇਲਾਂ ਬੰਦ ਕਰੋ",
    unsubscribe_explain: "ਅਸੀਂ ਤੁਹਾਡਾ ਈਮੇਲ ਪਤਾ ਮਿਟਾ ਦੇਵਾਂਗੇ ਅਤੇ ਸਰਵੇਖਣ “{survey}” ਬਾਰੇ ਤੁਹਾਨੂੰ ਹੋਰ ਕੁਝ ਨਹੀਂ ਭੇਜਾਂਗੇ।",
    unsubscribe_button: "ਈਮੇਲਾਂ ਬੰਦ ਕਰੋ",
    unsubscribed_heading: "ਤੁਹਾਨੂੰ ਹੋਰ ਈਮੇਲਾਂ ਨਹੀਂ ਮਿਲਣਗੀਆਂ",
    unsubscribed: "ਅਸੀਂ ਤੁਹਾਡਾ ਈਮੇਲ ਪਤਾ ਮਿਟਾ ਦਿੱਤਾ ਹੈ। ਤੁਹਾਨੂੰ ਇਸ ਸਰਵੇਖਣ ਬਾਰੇ ਹੋਰ ਈਮੇਲਾਂ ਨਹੀਂ ਮਿਲਣਗੀਆਂ।",
    unknown_heading: "ਬੰਦ ਕਰਨ ਲਈ ਕੋਈ ਈਮੇਲਾਂ ਨਹੀਂ ਹਨ",
    unknown: "ਇਸ ਲਿੰਕ ਲਈ ਸਾਡੇ ਕੋਲ ਕੋਈ ਈਮੇਲ ਪਤਾ ਨਹੀਂ ਹੈ। ਹੋ ਸਕਦਾ ਹੈ ਕਿ ਈਮੇਲਾਂ ਪਹਿਲਾਂ ਹੀ ਬੰਦ ਕੀਤੀਆਂ ਜਾ ਚੁੱਕੀਆਂ ਹੋਣ, ਜਾਂ ਇਸ ਸਰਵੇਖਣ ਦੇ ਅੱਪਡੇਟ ਖਤਮ ਹੋ ਗਏ ਹੋਣ।",
};

const RO: MailWords = MailWords {
    locale: "ro",
    why: "Primiți acest e-mail deoarece ați cerut să aflați ce s-a întâmplat cu chestionarul „{survey}”.",
    stop: "Pentru a nu mai primi aceste e-mailuri, deschideți acest link:",
    last: "Acesta este ultimul e-mail despre acest chestionar. Am șters acum adresa dumneavoastră de e-mail.",
    read_online: "Citiți această actualizare online:",
    unsubscribe_heading: "Opriți e-mailurile despre acest chestionar",
    unsubscribe_explain: "Vom șterge adresa dumneavoastră de e-mail și nu vă vom mai trimite nimic despre chestionarul „{survey}”.",
    unsubscribe_button: "Opriți e-mailurile",
    unsubscribed_heading: "Nu veți mai primi e-mailuri",
    unsubscribed: "Am șters adresa dumneavoastră de e-mail. Nu veți mai primi e-mailuri despre acest chestionar.",
    unknown_heading: "Nu există e-mailuri de oprit",
    unknown: "Nu avem nicio adresă de e-mail pentru acest link. Este posibil ca e-mailurile să fi fost deja oprite sau ca actualizările acestui chestionar să se fi încheiat.",
};

const UK: MailWords = MailWords {
    locale: "uk",
    why: "Ви отримали цей лист, тому що хотіли дізнатися, що вийшло з опитування «{survey}».",
    stop: "Щоб більше не отримувати цих листів, відкрийте це посилання:",
    last: "Це останній лист про це опитування. Ми вже видалили Вашу адресу електронної пошти.",
    read_online: "Прочитайте цю новину в інтернеті:",
    unsubscribe_heading: "Відмова від листів про це опитування",
    unsubscribe_explain: "Ми видалимо Вашу адресу електронної пошти і більше нічого не надсилатимемо Вам про опитування «{survey}».",
    unsubscribe_button: "Більше не надсилати листів",
    unsubscribed_heading: "Ви більше не отримуватимете листів",
    unsubscribed: "Ми видалили Вашу адресу електронної пошти. Ви більше не отримуватимете листів про це опитування.",
    unknown_heading: "Немає листів, які можна припинити",
    unknown: "Для цього посилання в нас немає адреси електронної пошти. Можливо, листи вже припинено або новини про це опитування завершилися.",
};

const EN_EASY: MailWords = MailWords {
    locale: "en-x-easy",
    why: "You asked us to tell you what happened with the survey “{survey}”. That is why we sent you this email.",
    stop: "Open this link to stop getting these emails:",
    last: "This is our last email about this survey. We have deleted your email address.",
    read_online: "Read this news on our website:",
    unsubscribe_heading: "Stop getting emails about this survey",
    unsubscribe_explain: "We will delete your email address. We will not send you any more emails about the survey “{survey}”.",
    unsubscribe_button: "Stop my emails",
    unsubscribed_heading: "You will not get any more emails",
    unsubscribed: "We have deleted your email address. We will not send you any more emails about this survey.",
    unknown_heading: "There are no emails to stop",
    unknown: "We do not have an email address for this link. Maybe you stopped the emails before. Or maybe there is no more news about this survey.",
};

const ALL: [&MailWords; 12] = [
    &EN, &EN_EASY, &GD, &SCO, &PL, &AR, &UR, &ZH_HANS, &ZH_HANT, &PA, &RO, &UK,
];

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
