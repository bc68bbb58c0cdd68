// Voices embed loader: defines <voices-survey survey="ID">, which shows that survey in a
// shadow root. Load it as a module from the collector:
//   <script type="module" src="https://COLLECTOR/embed.js"></script>
//
// xtask fills in the two hashed file names below when it builds widget/dist/.

const WIDGET_JS = "__VOICES_WIDGET_JS__";
const WIDGET_CSS = "__VOICES_WIDGET_CSS__";
// The same stylesheet's text: shadow roots adopt it without a request of their own.
const WIDGET_CSS_TEXT = "__VOICES_STYLESHEET_TEXT__";

// The widget's own words in each language but English (built into the wasm), by tag: a
// file fetched only when a reader of that language needs it.
const WORDS_FILES = "__VOICES_WORDS__";

// First screens the collector put in front of this very file, by survey id, when it was
// loaded as `embed.js?survey=ID`: a partner's page then shows the survey without asking
// for it, one round trip sooner. Shared by every copy of this script on the page.
const FIRST_SCREENS = (globalThis.voicesFirstScreens ??= {});

// How long a screen posted in the background may take before it is posted as a form.
const POST_TIMEOUT_MS = 20000;
// The widget waits for this pause in typing before it takes over a screen being typed into.
const TYPING_PAUSE_MS = 1200;
// Tries at taking over a screen that keeps changing under it before leaving it be.
const TAKEOVER_ATTEMPTS = 20;

// The collector that served this file, unless an element names another one.
const DEFAULT_COLLECTOR = new URL(import.meta.url).origin;

// The wasm module is downloaded, compiled and initialised once per page however many
// surveys it shows; every element shares this promise.
let widget = null;

function loadWidget(collector) {
  widget ??= import(`${collector}/${WIDGET_JS}`)
    .then(async (module) => {
      await module.default();
      return module;
    })
    .catch((error) => {
      // Let a later element try again rather than inherit one network blip forever.
      widget = null;
      throw error;
    });
  return widget;
}

// Words files on their way or in, by URL: each is fetched once per page, however many
// surveys show in its language. A failed fetch is forgotten, so a later need tries again.
const wordsFetched = {};

// The widget's words file for the language tagged `tag` (one of WORDS_FILES' tags), as
// text, or null if it has none or it could not be fetched.
function loadWords(collector, tag) {
  const file = WORDS_FILES[tag];
  if (!file) return Promise.resolve(null);
  const url = `${collector}/${file}`;
  return (wordsFetched[url] ??= fetch(url, { credentials: "omit" })
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null)
    .then((text) => {
      if (text === null) delete wordsFetched[url];
      return text;
    }));
}

// The tag of the words file a page in `lang` most likely needs: the longest of WORDS_FILES'
// tags that `lang` begins with. A guess, to fetch it beside the wasm; the widget asks for
// the one it needs, should the guess miss.
function likelyWords(lang) {
  let wanted = (lang || "").toLowerCase();
  // The scripts regions write, as the widget's own choice of words does (words_locale).
  if (/^zh-(tw|hk|mo)\b/.test(wanted)) wanted = "zh-hant";
  else if (/^zh(-(cn|sg|my))?$/.test(wanted)) wanted = "zh-hans";
  else if (/^pa-(arab|pk)\b/.test(wanted)) wanted = "ur";
  return Object.keys(WORDS_FILES)
    .filter((tag) => wanted === tag.toLowerCase() || wanted.startsWith(`${tag.toLowerCase()}-`))
    .sort((a, b) => b.length - a.length)[0];
}

// Why a survey could not be fetched: the widget words each case in the reader's language.
class SurveyUnavailable extends Error {
  constructor(kind, detail) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
  }
}

async function fetchSurvey(collector, id) {
  if (!id) throw new SurveyUnavailable("not_found", "the survey attribute is missing");
  const url = `${collector}/api/surveys/${encodeURIComponent(id)}`;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
  } catch (error) {
    throw new SurveyUnavailable("unreachable", String(error));
  }
  if (response.status === 404) throw new SurveyUnavailable("not_found", `${url} answered 404`);
  if (!response.ok) throw new SurveyUnavailable("unreachable", `${url} answered ${response.status}`);
  return response.text();
}

// What came of the survey (its published updates), or null: the survey shows without it.
async function fetchOutcomes(collector, id) {
  try {
    const url = `${collector}/api/surveys/${encodeURIComponent(id)}/outcomes`;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

// How long the widget waits for the updates once the survey and its code are in.
const OUTCOMES_GRACE_MS = 1000;

class VoicesSurvey extends HTMLElement {
  connectedCallback() {
    // Moving an element in the page reconnects it; it is already showing its survey.
    if (this.shadowRoot || this.loading) return;
    this.loading = true;
    this.collector = (this.getAttribute("collector") || DEFAULT_COLLECTOR).replace(/\/+$/, "");
    // A first screen the collector rendered into the page (the hosted page) stays in view,
    // and goes on working, until the widget is ready to take over from it.
    if (this.querySelector(":scope > .voices")) this.serveFrom(this);
    else this.styled = this.attach();
    this.load();
  }

  // The shadow root, with the widget's stylesheet; `styled` resolves once the stylesheet
  // is in, so that nothing shows unstyled when it replaces a server-rendered screen.
  attach() {
    const root = this.attachShadow({ mode: "open" });
    this.container = document.createElement("div");
    // A constructed stylesheet (which strict CSPs allow without 'unsafe-inline'), or in
    // browsers without them, the stylesheet file.
    let styled = Promise.resolve();
    if (!adoptStylesheet(root)) {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = `${this.collector}/${WIDGET_CSS}`;
      styled = new Promise((resolve) => {
        style.addEventListener("load", resolve, { once: true });
        style.addEventListener("error", resolve, { once: true });
      });
      root.append(style);
    }
    root.append(this.container);
    if (this.holder === this) {
      // The server-rendered screen in the page stays in view (slotted) until the takeover.
      this.serverSlot = document.createElement("slot");
      root.append(this.serverSlot);
    }
    return styled;
  }

  // Screens rendered by the collector show in `holder` (the element itself on the hosted
  // page, a part of the shadow root on a partner's page) until the widget is in. Pressed
  // before then, a button's form goes to the collector in the background, and the screen
  // it answers with takes this one's place: the person goes on without leaving the page,
  // and the widget takes over wherever they are.
  serveFrom(holder) {
    this.holder = holder;
    this.resolveActions();
    // When the person last typed, and whether a word is being composed: the widget does
    // not take over in the middle of either (see `takeOver`).
    holder.addEventListener("input", () => (this.typedAt = Date.now()));
    holder.addEventListener("compositionstart", () => (this.composing = true));
    holder.addEventListener("compositionend", () => (this.composing = false));
    holder.addEventListener("submit", (event) => {
      const button = event.submitter;
      // Without the widget to come, or with no button to go by: the form posts itself.
      if (this.fallback || this.mounted || !button) return;
      event.preventDefault();
      if (this.pending) return;
      if (this.takingOver) {
        // The widget is rendering this very screen: the press is its, once it shows.
        this.held = button;
        return;
      }
      // "Start now" leads to a page the collector has sent along already.
      const next = button.value === "start" && holder.querySelector(':scope > template[data-voices-after="start"]');
      if (next) {
        this.showScreen(next.content.cloneNode(true), button);
        return;
      }
      button.setAttribute("aria-disabled", "true");
      holder.setAttribute("aria-busy", "true");
      this.pending = this.postScreen(button)
        .then((html) => {
          const parsed = document.createElement("template");
          parsed.innerHTML = html;
          this.showScreen(parsed.content, button);
        })
        .catch((error) => {
          // Sent as it is to the survey's own page, which explains a refusal (or, if the
          // connection is down, the browser says so and Back returns here).
          console.warn("voices-survey: the screen was posted as a form:", error);
          this.fallback = true;
          button.removeAttribute("aria-disabled");
          submitAsForm(button);
        })
        .finally(() => {
          holder.removeAttribute("aria-busy");
          this.pending = null;
        });
    });
  }

  // The collector's answer to `button`'s form: the next screen's markup.
  async postScreen(button) {
    // A language pressed on a page being answered takes what was typed and chosen there
    // along (the language form itself carries only what was answered before).
    const page = button.name === "voices-lang" && this.holder.querySelector('input[name="voices-shown"]')?.form;
    const data = new FormData(page || button.form);
    if (button.name) data.append(button.name, button.value);
    const params = new URLSearchParams();
    const level = this.getAttribute("heading-level");
    if (level) params.set("heading-level", level);
    if (this.hasAttribute("whole-page")) params.set("whole-page", "true");
    const id = encodeURIComponent(this.getAttribute("survey") || "");
    const response = await fetch(`${this.collector}/api/surveys/${id}/screen?${params}`, {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "omit",
      // A post that hangs (a stalled connection) is posted as a form instead, rather than
      // leaving the person stuck.
      signal: AbortSignal.timeout?.(POST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the collector answered ${response.status}`);
    return response.text();
  }

  // Puts a server-rendered screen (`content`, a fragment) in place of the one showing, with
  // focus where the widget would put it (the collector marks it `autofocus`), else on the
  // same control as the press (a language button), else on the heading; but only if the
  // person is still in the survey: someone who went elsewhere on the page while it was on
  // its way keeps their place and hears the new screen from the live region that was
  // there already. On the hosted page the tab's title and the page's language follow.
  showScreen(content, button) {
    if (!this.holder) return;
    const here = this.focusIsHere();
    const announcer = this.holder.querySelector("#voices-announcer");
    this.holder.replaceChildren(content);
    this.resolveActions();
    if (this.hasAttribute("whole-page")) {
      const title = this.holder.querySelector(":scope > template[data-voices-title]");
      if (title) document.title = title.getAttribute("data-voices-title");
      const root = this.holder.querySelector(":scope > .voices");
      if (root) {
        document.documentElement.lang = root.lang;
        document.documentElement.dir = root.dir;
      }
    }
    const heading = this.holder.querySelector("#voices-heading");
    if (here) {
      const pressed = button && selectorFor(button);
      const focus =
        this.holder.querySelector("[autofocus]") ?? (pressed && this.holder.querySelector(pressed)) ?? heading;
      focus?.focus();
      return;
    }
    for (const element of this.holder.querySelectorAll("[autofocus]")) element.removeAttribute("autofocus");
    const fresh = this.holder.querySelector("#voices-announcer");
    if (announcer && fresh) {
      fresh.replaceWith(announcer);
      const problem = this.holder.querySelector("#voices-error-summary-title");
      announcer.textContent = [problem?.textContent, heading?.textContent].filter(Boolean).join(". ");
    }
  }

  // Whether keyboard focus is in the survey, or nowhere in particular (a button pressed
  // with the mouse is not focused in Safari): then a new screen may take it.
  focusIsHere() {
    const active = this.holder.getRootNode().activeElement;
    if (active && active !== document.body) return this.holder.contains(active);
    const outer = document.activeElement;
    return !outer || outer === document.body || outer === this;
  }

  // The collector renders its forms' address as a path; it is the collector's page (which
  // a partner's page is not).
  resolveActions() {
    for (const form of this.holder.querySelectorAll("form[action]")) {
      form.setAttribute("action", new URL(form.getAttribute("action"), `${this.collector}/`).href);
    }
    // Links to the collector's own pages (a survey's updates), written as paths too.
    for (const link of this.holder.querySelectorAll('a[href^="/"]')) {
      link.setAttribute("href", new URL(link.getAttribute("href"), `${this.collector}/`).href);
    }
  }

  async load() {
    const collector = this.collector;
    const lang = this.getAttribute("lang") || document.documentElement.lang || null;
    // The definition and the code download side by side: neither waits for the other.
    const definition = fetchSurvey(collector, this.getAttribute("survey"));
    const outcomes = fetchOutcomes(collector, this.getAttribute("survey") || "");
    const widgetCode = loadWidget(collector);
    // The widget's own words in the page's language, beside the code.
    const shownLang = this.holder?.querySelector(":scope > .voices")?.getAttribute("lang") || lang;
    const words = loadWords(collector, likelyWords(shownLang));
    // On a partner's page the first screen also comes as a small HTML fetch beside them,
    // and shows as soon as it arrives (the hosted page has it in the page already).
    // Not on the collect page: staff start each person afresh in the widget itself.
    const firstScreen = this.holder || this.hasAttribute("collect") ? null : this.showFirstScreen(lang);
    const [survey, code] = await Promise.allSettled([definition, widgetCode]);
    this.words = await words;
    this.outcomes = await Promise.race([
      outcomes,
      new Promise((resolve) => setTimeout(() => resolve(null), OUTCOMES_GRACE_MS)),
    ]);
    // Without the code or the definition, screens the collector rendered go on as they are
    // (posted in the background, or as forms should that fail): the person keeps their place.
    // A first screen still on its way is waited for.
    if (code.status === "rejected" || survey.status === "rejected") await firstScreen;
    if (this.holder && (code.status === "rejected" || survey.status === "rejected")) {
      console.error("voices-survey:", code.reason ?? survey.reason);
      return;
    }
    if (code.status === "rejected") {
      // Without the code there is no catalogue of words: a plain message it is.
      console.error("voices-survey:", code.reason);
      const message = document.createElement("p");
      message.className = "voices";
      message.lang = "en";
      message.textContent = "Sorry, this survey could not be loaded. Check your connection and reload the page.";
      this.container.replaceChildren(message);
      return;
    }
    const module = code.value;
    if (survey.status === "rejected") {
      const kind = survey.reason instanceof SurveyUnavailable ? survey.reason.kind : "unreachable";
      console.error("voices-survey:", survey.reason);
      // In place of a partner page's early screen too: "Try again" is the way on.
      const target = document.createElement("div");
      this.container.replaceChildren(target);
      this.holder = null;
      this.mounted = true;
      module.mount_problem(target, kind, lang, () => this.load(), this.getAttribute("heading-level"), this.words);
      return;
    }
    if (this.holder) {
      if (!(await this.takeOver(module, survey.value, lang))) return;
    } else {
      // A fresh element each time: Yew owns what it renders into.
      const target = document.createElement("div");
      this.container.replaceChildren(target);
      this.mounted = true;
      this.mount(module, target, survey.value, lang, null);
    }
    // The widget is live (tests, and any script of the partner's, can wait for this).
    this.setAttribute("ready", "");
  }

  mount(module, target, survey, lang, fields) {
    return module.mount(
      target,
      survey,
      lang,
      this.collector,
      this.getAttribute("channel"),
      this.getAttribute("heading-level"),
      this.hasAttribute("whole-page"),
      fields,
      this.outcomes ?? null,
      // On the collect page, Send hands the response to the page (`collect.js`), which seals
      // it, keeps it and sends it: cancelling the event says it is taking it, and `done`
      // says whether it is kept. Until then the person sees it being sent.
      this.hasAttribute("collect")
        ? (body) =>
            new Promise((done) => {
              const event = new CustomEvent("voices-collected", { detail: { body, done }, cancelable: true });
              if (this.dispatchEvent(event)) done(false);
            })
        : null,
      this.words ?? null,
      (tag) => loadWords(this.collector, tag),
    );
  }

  // The widget takes the place of the server-rendered screen showing, from its forms'
  // values: what was typed, ticked and chosen stays, and focus and the caret stay where
  // they were. False when there is nothing to take over (the screen after Send), or the
  // widget cannot read the screen: it then goes on working as forms.
  async takeOver(module, survey, lang) {
    const holder = this.holder;
    if (holder === this) {
      if (!this.shadowRoot) this.styled = this.attach();
    }
    await this.styled;
    for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
      // A screen posted in the background lands first; typing, or a word being composed,
      // is not interrupted (a swap would cancel it, and close a phone's keyboard).
      while (this.pending) await this.pending;
      while (this.composing || Date.now() - (this.typedAt ?? 0) < TYPING_PAUSE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (this.fallback || this.pending) return false;
      this.takingOver = true;
      try {
        const outcome = this.swapIn(module, survey, lang);
        const swapped = await outcome;
        if (swapped !== null) return swapped;
      } finally {
        this.takingOver = false;
      }
      // Typed into meanwhile, or not rendered in time: the screen stays, and it is tried
      // again shortly.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return false;
  }

  // One try at the takeover: true once the widget shows, false when there is nothing to
  // take over (it goes on as forms), null when the screen changed under it (try again).
  async swapIn(module, survey, lang) {
    const holder = this.holder;
    // The words of the screen's language, should it have changed since the page came (a
    // language chosen before the widget was in); fetched already otherwise.
    const screenLang = holder.querySelector(":scope > .voices")?.getAttribute("lang");
    if (screenLang) this.words = (await loadWords(this.collector, likelyWords(screenLang))) ?? this.words;
    const button = holder.querySelector(
      ':scope > .voices button[name="voices-action"]:is([value="start"], [value="continue"], [value="send"])',
    );
    const form = button?.form;
    if (!form && holder.querySelector('input[name="voices-state"]')) {
      // The thank-you screen (or the erased one): nothing is left to take over.
      this.fallback = true;
      return false;
    }
    const starting = !form || button.value === "start";
    // Nothing is answered on the start screen (or a notice that the survey is closed): the
    // widget starts as it would anywhere (where this device left off, or with a response
    // waiting to be sent), in the screen's language.
    if (starting) lang = holder.querySelector(":scope > .voices")?.getAttribute("lang") || lang;
    const fields = starting ? null : [...new FormData(form)];
    const target = document.createElement("div");
    target.hidden = true;
    this.container.append(target);
    const app = this.mount(module, target, survey, lang, fields);
    if (!app) {
      // Not a form the widget can read (another version of the survey): it goes on as is.
      target.remove();
      return false;
    }
    await rendered(target);
    // Read, rendered, and compared: a key pressed in between (the first render may wait for
    // a tick) means another try, from the screen as it is then.
    if (!target.firstElementChild || (fields && !sameFields(fields, [...new FormData(form)]))) {
      app.destroy();
      target.remove();
      return null;
    }
    // Where the person was, to put them back there, caret and all.
    const active = holder.getRootNode().activeElement;
    const focused = active && holder.contains(active) ? selectorFor(active) : null;
    const selection = focused && typeof active.selectionStart === "number"
      ? [active.selectionStart, active.selectionEnd, active.selectionDirection]
      : null;
    this.mounted = true;
    // Gone, so that its ids are not there twice.
    if (holder === this) {
      this.replaceChildren();
      this.serverSlot?.remove();
    } else {
      holder.remove();
    }
    this.holder = null;
    target.hidden = false;
    const again = focused && this.shadowRoot.querySelector(focused);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection) {
        try {
          again.setSelectionRange(...selection);
        } catch {
          // Some inputs (numbers, emails) have no caret to place.
        }
      }
    }
    // A press while the widget rendered: now, once, on the widget's own button.
    const held = this.held && selectorFor(this.held);
    this.held = null;
    if (held) this.shadowRoot.querySelector(held)?.click();
    return true;
  }

  // The survey's first screen, rendered by the collector, into the shadow root until the
  // widget takes over. If the widget cannot load, the screen works as a form.
  async showFirstScreen(lang) {
    try {
      const survey = this.getAttribute("survey") || "";
      const level = this.getAttribute("heading-level");
      // Written into this script by the collector: used once (its forms carry a submission
      // id of their own), and only as asked for (the heading level; the page's language,
      // where it has one, for the collector chose by the browser's).
      const given = FIRST_SCREENS[survey];
      delete FIRST_SCREENS[survey];
      let html;
      // A first screen put in front of this script is an online one: a page that names
      // another channel (a poster's QR code) asks for its own.
      const channel = this.getAttribute("channel");
      if (given && given.level === level && sameLanguage(lang, given.lang) && !channel) {
        html = given.html;
      } else {
        const params = new URLSearchParams();
        if (lang) params.set("lang", lang);
        if (level) params.set("heading-level", level);
        if (channel) params.set("channel", channel);
        const id = encodeURIComponent(survey);
        const response = await fetch(`${this.collector}/api/surveys/${id}/first-screen?${params}`, {
          credentials: "omit",
        });
        if (!response.ok) return;
        html = await response.text();
      }
      await this.styled;
      if (this.mounted) return;
      const early = document.createElement("div");
      early.innerHTML = html;
      this.container.replaceChildren(early);
      this.serveFrom(early);
    } catch (error) {
      // The widget shows the survey when it arrives; nothing is lost.
      console.warn("voices-survey: no early first screen:", error);
    }
  }
}

// The widget's stylesheet, constructed once per page and adopted by each shadow root; false
// where the browser cannot (Safari before 16.4).
let stylesheet = null;
function adoptStylesheet(root) {
  try {
    if (!("adoptedStyleSheets" in root)) return false;
    if (!stylesheet) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS_TEXT);
      stylesheet = sheet;
    }
    root.adoptedStyleSheets = [stylesheet];
    return true;
  } catch {
    return false;
  }
}

// Whether a screen in `given` suits a page in `asked` (a language tag, or nothing): the
// same language, whatever the region.
function sameLanguage(asked, given) {
  const language = (tag) => String(tag).toLowerCase().split("-")[0];
  return !asked || language(asked) === language(given);
}

// Once Yew has rendered into `target`, or after a second at most. Yew renders on a
// microtask after mounting, so this is usually over before the browser runs anything else
// (an event, a paint): nobody meets the two screens side by side.
async function rendered(target) {
  for (let turns = 0; !target.firstElementChild && turns < 20; turns++) await null;
  for (let ticks = 0; !target.firstElementChild && ticks < 100; ticks++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Posts `button`'s form as a plain form (to the survey's own page), in browsers old and new.
function submitAsForm(button) {
  const form = button.form;
  if (!form) return;
  if (form.requestSubmit) form.requestSubmit(button);
  else button.click();
}

// Whether two lists of form fields are the same, in the same order.
function sameFields(a, b) {
  return a.length === b.length && a.every(([name, value], i) => b[i][0] === name && b[i][1] === value);
}

// A selector that finds the same control in the widget's own rendering of a screen.
function selectorFor(element) {
  if (element.id) return `#${CSS.escape(element.id)}`;
  const name = element.getAttribute("name");
  const value = element.getAttribute("value");
  if (name && value !== null) return `[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`;
  return null;
}

// The script may be included twice (say, by two embeds on one page); defining the
// element a second time would throw.
if (!customElements.get("voices-survey")) {
  customElements.define("voices-survey", VoicesSurvey);
}
