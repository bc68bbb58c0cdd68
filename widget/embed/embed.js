// Voices embed loader: defines <voices-survey survey="ID">, which shows that survey in a
// shadow root. Load it as a module from the collector:
//   <script type="module" src="https://COLLECTOR/embed.js"></script>
//
// xtask fills in the two hashed file names below when it builds widget/dist/.

const WIDGET_JS = "__VOICES_WIDGET_JS__";
const WIDGET_CSS = "__VOICES_WIDGET_CSS__";

// The collector that served this file, unless an element names another one.
const DEFAULT_COLLECTOR = new URL(import.meta.url).origin;

// How long a press on a server-rendered first screen waits for the widget before the form
// is sent as it is (to the survey's own page, which works without the widget).
const HOLD_FOR_WIDGET_MS = 8000;

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

class VoicesSurvey extends HTMLElement {
  connectedCallback() {
    // Moving an element in the page reconnects it; it is already showing its survey.
    if (this.shadowRoot || this.loading) return;
    this.loading = true;
    this.collector = (this.getAttribute("collector") || DEFAULT_COLLECTOR).replace(/\/+$/, "");
    // A first screen the collector rendered into the page (the hosted page) stays in view,
    // and works as a plain form, until the widget is ready to take over from it.
    this.prerendered = this.querySelector(":scope > .voices");
    if (!this.prerendered) this.styled = this.attach();
    this.load();
  }

  // The shadow root, with the widget's stylesheet; resolves once the stylesheet is in, so
  // that nothing shows unstyled when it replaces a server-rendered screen.
  attach() {
    const root = this.attachShadow({ mode: "open" });
    // A stylesheet file rather than inline styles, so strict CSPs need no 'unsafe-inline'.
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = `${this.collector}/${WIDGET_CSS}`;
    const styled = new Promise((resolve) => {
      style.addEventListener("load", resolve, { once: true });
      style.addEventListener("error", resolve, { once: true });
    });
    this.container = document.createElement("div");
    root.append(style, this.container);
    if (this.prerendered) {
      // The server-rendered screen stays in view (slotted) until the stylesheet is in.
      const slot = document.createElement("slot");
      root.append(slot);
      return styled.then(() => slot.remove());
    }
    return styled;
  }

  async load() {
    const collector = this.collector;
    const lang = this.getAttribute("lang") || document.documentElement.lang || null;
    // The definition and the code download side by side: neither waits for the other.
    const definition = fetchSurvey(collector, this.getAttribute("survey"));
    const widgetCode = loadWidget(collector);
    // On a partner's page the first screen also comes as a small HTML fetch beside them,
    // and shows as soon as it arrives (the hosted page has it in the page already).
    if (!this.prerendered && !this.early) this.showFirstScreen(lang);
    const [survey, code] = await Promise.allSettled([definition, widgetCode]);
    if (this.prerendered) {
      if (code.status === "rejected" || survey.status === "rejected") {
        // The server-rendered screen still works as a form: leave it be.
        console.error("voices-survey:", code.reason ?? survey.reason);
        return;
      }
      // Where the person was in the server-rendered screen, to put them back there.
      this.focused = this.contains(document.activeElement) ? selectorFor(document.activeElement) : null;
      await this.attach();
      // Hidden behind the shadow root from here; gone, so its ids are not there twice.
      this.prerendered.remove();
      this.prerendered = null;
    }
    const container = this.container;
    if (code.status === "rejected") {
      // From now on a server-rendered first screen works as a plain form, posting to the
      // survey's own page: nothing holds a press for a widget that is not coming.
      this.fallback = true;
    }
    if (code.status === "rejected" && this.early) {
      console.error("voices-survey:", code.reason);
      this.sendHeld();
      return;
    }
    if (code.status === "rejected") {
      // Without the code there is no catalogue of words: a plain message it is.
      console.error("voices-survey:", code.reason);
      const message = document.createElement("p");
      message.className = "voices";
      message.lang = "en";
      message.textContent = "Sorry, this survey could not be loaded. Check your connection and reload the page.";
      container.replaceChildren(message);
      return;
    }
    const module = code.value;
    clearTimeout(this.holdDeadline);
    if (this.early) {
      // Taking over from the server-rendered screen: where the person was, to put them back.
      const active = this.shadowRoot.activeElement;
      if (active && this.early.contains(active)) this.focused = selectorFor(active);
    }
    this.mounted = true;
    // A fresh element each time: Yew owns what it renders into.
    const target = document.createElement("div");
    container.replaceChildren(target);
    if (survey.status === "rejected") {
      const kind = survey.reason instanceof SurveyUnavailable ? survey.reason.kind : "unreachable";
      console.error("voices-survey:", survey.reason);
      module.mount_problem(target, kind, lang, () => this.load(), this.getAttribute("heading-level"));
      return;
    }
    module.mount(
      target,
      survey.value,
      this.earlyLang || lang,
      collector,
      this.getAttribute("channel"),
      this.getAttribute("heading-level"),
      this.hasAttribute("whole-page"),
    );
    if (this.focused) this.refocus(this.focused);
    this.focused = null;
    // A press on the server-rendered screen while the widget was on its way: now, once.
    if (this.held) this.refocus(this.held.selector, { press: true });
    this.held = null;
    // The widget is live (tests, and any script of the partner's, can wait for this).
    this.setAttribute("ready", "");
  }

  // Focus on the control at `selector` once the widget has rendered it (Yew renders on a
  // later tick): after a takeover, focus is where the person left it.
  refocus(selector, { press = false, tries = 40 } = {}) {
    const target = this.shadowRoot?.querySelector(selector);
    if (target) {
      target.focus();
      if (press) target.click();
    } else if (tries > 0) {
      setTimeout(() => this.refocus(selector, { press, tries: tries - 1 }), 25);
    }
  }

  // A press held for the widget, sent as the plain form it is (to the survey's own page).
  sendHeld() {
    const held = this.held;
    this.held = null;
    if (!held || this.mounted) return;
    held.button.removeAttribute("aria-disabled");
    held.button.form?.requestSubmit(held.button);
  }

  // The survey's first screen, rendered by the collector, into the shadow root until the
  // widget takes over. A press on it is held and handed to the widget (posting it would
  // take the person off this page); if the widget cannot load, the screen works as a form.
  async showFirstScreen(lang) {
    try {
      const params = new URLSearchParams();
      if (lang) params.set("lang", lang);
      const level = this.getAttribute("heading-level");
      if (level) params.set("heading-level", level);
      const id = encodeURIComponent(this.getAttribute("survey") || "");
      const response = await fetch(`${this.collector}/api/surveys/${id}/first-screen?${params}`, {
        credentials: "omit",
      });
      if (!response.ok) return;
      const html = await response.text();
      await this.styled;
      if (this.mounted) return;
      const early = document.createElement("div");
      early.innerHTML = html;
      // The collector renders its forms' address as a path; it is the collector's page.
      for (const form of early.querySelectorAll("form[action]")) {
        form.setAttribute("action", new URL(form.getAttribute("action"), `${this.collector}/`).href);
      }
      early.addEventListener("submit", (event) => {
        if (this.fallback || !event.submitter) return;
        event.preventDefault();
        if (this.held) return;
        // Held for the widget, and shown to be taken; if the widget has not come within a
        // few seconds, the form goes to the survey's own page after all.
        this.held = { selector: selectorFor(event.submitter), button: event.submitter };
        event.submitter.setAttribute("aria-disabled", "true");
        this.holdDeadline = setTimeout(() => {
          this.fallback = true;
          this.sendHeld();
        }, HOLD_FOR_WIDGET_MS);
      });
      this.early = early;
      // The widget speaks the language this screen is in, whatever the page says.
      this.earlyLang = early.querySelector(".voices")?.getAttribute("lang") || null;
      this.container.replaceChildren(early);
    } catch (error) {
      // The widget shows the survey when it arrives; nothing is lost.
      console.warn("voices-survey: no early first screen:", error);
    }
  }
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
