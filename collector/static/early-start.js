(function (host) {
  // Until embed.js is in (a module: it runs once it has arrived and the page is parsed),
  // "Start now" shows at once the page that came with this one. embed.js does the rest.
  host.addEventListener("submit", function (event) {
    var next = host.querySelector(':scope > template[data-voices-after="start"]');
    var button = event.submitter;
    if (customElements.get("voices-survey") || !next || !button || button.value !== "start") return;
    event.preventDefault();
    host.replaceChildren(next.content.cloneNode(true));
    var focus = host.querySelector("[autofocus]");
    if (focus) focus.focus();
  });
})(document.currentScript.previousElementSibling);