// Voices embed loader: defines <voices-survey survey="ID">, which shows that survey in a
// shadow root. Load it as a module from the collector:
//   <script type="module" src="https://COLLECTOR/embed.js"></script>
//
// xtask fills in the two hashed file names below when it builds widget/dist/.

const WIDGET_JS = "__VOICES_WIDGET_JS__";
const WIDGET_CSS = "__VOICES_WIDGET_CSS__";

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

async function fetchSurvey(collector, id) {
  if (!id) throw new Error("the survey attribute is missing");
  const url = `${collector}/api/surveys/${encodeURIComponent(id)}`;
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "omit",
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

class VoicesSurvey extends HTMLElement {
  async connectedCallback() {
    // Moving an element in the page reconnects it; it is already showing its survey.
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });

    const collector = (this.getAttribute("collector") || DEFAULT_COLLECTOR).replace(/\/+$/, "");
    // A stylesheet file rather than inline styles, so strict CSPs need no 'unsafe-inline'.
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = `${collector}/${WIDGET_CSS}`;
    const container = document.createElement("div");
    root.append(style, container);

    const lang = this.getAttribute("lang") || document.documentElement.lang || null;
    try {
      // The definition and the code download side by side: neither waits for the other.
      const [json, module] = await Promise.all([
        fetchSurvey(collector, this.getAttribute("survey")),
        loadWidget(collector),
      ]);
      module.mount(container, json, lang, collector, this.getAttribute("channel"));
    } catch (error) {
      console.error("voices-survey:", error);
      const message = document.createElement("p");
      message.className = "voices";
      message.lang = "en";
      message.textContent = "Sorry, this survey could not be loaded. Please try again later.";
      container.replaceChildren(message);
    }
  }
}

// The script may be included twice (say, by two embeds on one page); defining the
// element a second time would throw.
if (!customElements.get("voices-survey")) {
  customElements.define("voices-survey", VoicesSurvey);
}
