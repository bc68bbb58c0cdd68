//! The words of a survey's printed poster and flyer, in the widget's languages.
//!
//! Apart from the [`Catalogue`](crate::Catalogue) because only the collector prints them:
//! the widget's wasm, which carries every catalogue entry to every phone, does not carry these.
//! Like the rest of the widget's words other than English, they need a native speaker's review.

use crate::catalogue::words_for;

/// One language's words.
#[derive(Debug)]
pub struct PosterWords {
    pub locale: &'static str,
    /// Above the survey's title.
    pub have_your_say: &'static str,
    /// Beside the QR code.
    pub scan: &'static str,
    /// Before the survey's address, for those who type it.
    pub or_type: &'static str,
    /// `{date}` is the last day answers are taken.
    pub open_until: &'static str,
    /// What the QR code is called, for those who cannot see it.
    pub code: &'static str,
}

const EN: PosterWords = PosterWords {
    locale: "en",
    have_your_say: "Have your say",
    scan: "Point your phone’s camera at the code to answer the survey.",
    or_type: "Or type this address into your phone or computer:",
    open_until: "Open until {date}",
    code: "QR code",
};

const GD: PosterWords = PosterWords {
    locale: "gd",
    have_your_say: "Abair do bheachd",
    scan: "Cuir camara an fhòn agad ris a’ chòd airson an t-suirbhidh a fhreagairt.",
    or_type: "No sgrìobh an seòladh seo air an fhòn no air a’ choimpiutair agad:",
    open_until: "Fosgailte gu ruige {date}",
    code: "Còd QR",
};

const PL: PosterWords = PosterWords {
    locale: "pl",
    have_your_say: "Wyraź swoją opinię",
    scan: "Skieruj aparat telefonu na kod, aby wypełnić ankietę.",
    or_type: "Albo wpisz ten adres w telefonie lub komputerze:",
    open_until: "Otwarta do {date}",
    code: "Kod QR",
};

const AR: PosterWords = PosterWords {
    locale: "ar",
    have_your_say: "شارك برأيك",
    scan: "وجّه كاميرا هاتفك نحو الرمز للإجابة عن الاستبيان.",
    or_type: "أو اكتب هذا العنوان في هاتفك أو حاسوبك:",
    open_until: "مفتوح حتى {date}",
    code: "رمز QR",
};

const UR: PosterWords = PosterWords {
    locale: "ur",
    have_your_say: "اپنی رائے دیں",
    scan: "سروے کا جواب دینے کے لیے اپنے فون کا کیمرا کوڈ کی طرف کریں۔",
    or_type: "یا یہ ویب ایڈریس اپنے فون یا کمپیوٹر میں لکھیں:",
    open_until: "{date} تک کھلا ہے",
    code: "QR کوڈ",
};

const SCO: PosterWords = PosterWords {
    locale: "sco",
    have_your_say: "Hae yer say",
    scan: "Point yer phone’s camera at the code tae answer the survey.",
    or_type: "Or type this address intae yer phone or computer:",
    open_until: "Open till {date}",
    code: "QR code",
};

const ZH_HANS: PosterWords = PosterWords {
    locale: "zh-Hans",
    have_your_say: "欢迎发表您的意见",
    scan: "用手机相机对准二维码，即可填写问卷。",
    or_type: "或者在手机或电脑上输入这个网址：",
    open_until: "截止日期：{date}",
    code: "二维码（QR码）",
};

const ZH_HANT: PosterWords = PosterWords {
    locale: "zh-Hant",
    have_your_say: "發表你的意見",
    scan: "用手機相機對準二維碼，即可填寫問卷。",
    or_type: "或在手機或電腦輸入這個網址：",
    open_until: "截止日期：{date}",
    code: "二維碼（QR碼）",
};

const PA: PosterWords = PosterWords {
    locale: "pa",
    have_your_say: "ਆਪਣੀ ਰਾਏ ਦਿਓ",
    scan: "ਸਰਵੇਖਣ ਦਾ ਜਵਾਬ ਦੇਣ ਲਈ ਆਪਣੇ ਫ਼ੋਨ ਦਾ ਕੈਮਰਾ ਕੋਡ ਵੱਲ ਕਰੋ।",
    or_type: "ਜਾਂ ਇਹ ਵੈੱਬ ਪਤਾ ਆਪਣੇ ਫ਼ੋਨ ਜਾਂ ਕੰਪਿਊਟਰ ਵਿੱਚ ਲਿਖੋ:",
    open_until: "{date} ਤੱਕ ਖੁੱਲ੍ਹਾ ਹੈ",
    code: "QR ਕੋਡ",
};

const RO: PosterWords = PosterWords {
    locale: "ro",
    have_your_say: "Spuneți-vă părerea",
    scan: "Îndreptați camera telefonului spre cod pentru a răspunde la chestionar.",
    or_type: "Sau introduceți această adresă în telefon sau în calculator:",
    open_until: "Deschis până la {date}",
    code: "Cod QR",
};

const UK: PosterWords = PosterWords {
    locale: "uk",
    have_your_say: "Висловіть свою думку",
    scan: "Наведіть камеру телефону на код, щоб відповісти на опитування.",
    or_type: "Або введіть цю адресу в телефоні чи комп’ютері:",
    open_until: "Триває до {date}",
    code: "QR-код",
};

const EN_EASY: PosterWords = PosterWords {
    locale: "en-x-easy",
    have_your_say: "Tell us what you think",
    scan: "Point your phone camera at this code. Then you can answer the survey.",
    or_type: "Or you can type this web address on your phone or computer:",
    open_until: "You can answer until {date}",
    code: "QR code",
};

const ALL: [&PosterWords; 12] = [
    &EN, &EN_EASY, &GD, &SCO, &PL, &AR, &UR, &ZH_HANS, &ZH_HANT, &PA, &RO, &UK,
];

/// The words for `locale`: the same language the widget's catalogue picks for it.
pub fn poster_words(locale: &str) -> &'static PosterWords {
    words_for(locale, &ALL, |words| words.locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue_locales;

    #[test]
    fn every_language_of_the_widget_has_its_own_words() {
        for locale in catalogue_locales() {
            let words = poster_words(locale);
            assert_eq!(words.locale, locale, "no poster words for {locale}");
            assert!(words.open_until.contains("{date}"), "{locale}");
        }
    }
}
