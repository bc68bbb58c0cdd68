document.addEventListener("submit", function (event) {
  // Until embed.js is in (a module: it runs once it has arrived and the page is parsed),
  // "Start now" shows at once the page that came with this one. embed.js does the rest.
  var button = event.submitter;
  var host = button && button.closest("voices-survey");
  var next = host && host.querySelector(':scope > template[data-voices-after="start"]');
  if (customElements.get("voices-survey") || !next || !host.replaceChildren || button.value !== "start") return;
  event.preventDefault();
  host.replaceChildren(next.content.cloneNode(true));
  var title = host.querySelector(":scope > template[data-voices-title]");
  if (title) document.title = title.getAttribute("data-voices-title");
  var focus = host.querySelector("[autofocus]");
  if (focus) focus.focus();
});
