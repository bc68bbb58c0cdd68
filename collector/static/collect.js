// The collect page's own script (staff recording answers with people on a tablet).
//
// The widget hands each finished response here (the `voices-collected` event) and forgets
// it once this script says it is kept. The script seals it at once to the device's
// collection credential's public key (ECDH P-256, HKDF-SHA-256, AES-256-GCM, as the
// collector's `sealed` module opens it), so what waits on the device cannot be read there,
// keeps it in localStorage until the collector has stored it, and sends it, with the
// credential rather than a staff session, whenever there is signal. It shows how many
// wait, warns before the page is closed with any unsent, keeps the browser from
// remembering what people type, and clears a half-finished response left idle.
"use strict";

(() => {
  const banner = document.getElementById("voices-collect");
  const element = document.querySelector("#collect-survey voices-survey");
  if (!banner || !element) return;
  const survey = banner.dataset.survey;
  const channel = banner.dataset.channel;
  const credentialsKey = `voices-collect-credentials:${location.origin}:${survey}`;
  const queuePrefix = `voices-collect:${location.origin}:${survey}:`;
  const refusedPrefix = `voices-collect-refused:${location.origin}:${survey}:`;
  const line = (id) => document.getElementById(id);
  const waitingLine = line("collect-waiting");
  const problemLine = line("collect-problem");
  // Sealed responses the device would not keep (storage full or blocked): sent from memory.
  const unkept = new Map();
  let sealing = 0;
  let sentHere = 0;

  function say(target, text) {
    if (target.textContent !== text) target.textContent = text;
  }

  // Storage that may be full, blocked or missing: every use says whether it worked.
  function read(key) {
    try {
      return localStorage.getItem(key);
    } catch (error) {
      return null;
    }
  }
  function write(key, value) {
    try {
      localStorage.setItem(key, value);
      return true;
    } catch (error) {
      return false;
    }
  }
  function remove(key) {
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // Blocked: nothing was kept there either.
    }
  }
  function keys(prefix) {
    const found = [];
    try {
      for (let index = 0; index < localStorage.length; index += 1) {
        const key = localStorage.key(index);
        if (key && key.startsWith(prefix)) found.push(key);
      }
    } catch (error) {
      // Blocked: only what is in memory.
    }
    return found;
  }

  // Every credential this device was given for the survey, by id: what an earlier one sealed
  // is sent with it while it can send, else with a newer one of the same person's.
  let credentials = {};
  try {
    credentials = JSON.parse(read(credentialsKey) || "{}") || {};
  } catch (error) {
    credentials = {};
  }
  if (banner.dataset.credential) {
    const given = JSON.parse(banner.dataset.credential);
    banner.removeAttribute("data-credential");
    credentials[given.id] = given;
    // A reload is then a plain visit, not the form sent again (which would start again).
    history.replaceState(null, "", banner.dataset.address);
  }
  const now = () => Date.now();
  // A credential the collector stopped (revoked, or its person no longer given the survey)
  // is asked again now and then: an admin may have put things right.
  const RETRY_STOPPED_MS = 5 * 60000;
  const canSend = (credential) =>
    credential && credential.expires * 1000 > now() && !(credential.stopped && now() - credential.stoppedAt < RETRY_STOPPED_MS);
  function saveCredentials() {
    const needed = new Set(waiting().map((item) => credentialOf(item.sealed)));
    for (const [id, credential] of Object.entries(credentials)) {
      // Forgotten a fortnight after it expired, unless a response it sealed still waits
      // (it names the person whose newer credential can send it).
      if (credential.expires * 1000 < now() - 14 * 86400000 && !needed.has(id)) delete credentials[id];
    }
    if (!write(credentialsKey, JSON.stringify(credentials))) {
      say(problemLine, "This device will not keep the collection credential, so responses can only be sent while this page stays open.");
    }
  }
  saveCredentials();
  // The credential answers are sealed to now: the newest for this way of recording.
  function current() {
    return Object.values(credentials)
      .filter((c) => c.channel === channel)
      .sort((a, b) => b.expires - a.expires)[0];
  }
  function senderFor(id) {
    const sealer = credentials[id];
    if (canSend(sealer)) return sealer;
    const user = sealer ? sealer.user : null;
    return Object.values(credentials)
      .filter((c) => c.user === user && canSend(c))
      .sort((a, b) => b.expires - a.expires)[0];
  }

  function waiting() {
    const items = [...unkept.entries()].map(([id, sealed]) => ({ id, sealed, key: null }));
    for (const key of keys(queuePrefix)) {
      const sealed = read(key);
      if (sealed) items.push({ id: key.slice(queuePrefix.length), sealed, key });
    }
    return items;
  }
  function credentialOf(sealed) {
    try {
      return JSON.parse(sealed).credential;
    } catch (error) {
      return null;
    }
  }

  function showCount() {
    const items = waiting();
    const count = items.length + sealing;
    const sent = sentHere ? ` ${sentHere} sent from this page so far.` : "";
    const refused = keys(refusedPrefix).length;
    const kept = refused
      ? ` ${refused === 1 ? "1 response was" : `${refused} responses were`} refused by the collector and ${refused === 1 ? "is" : "are"} kept on this device; tell whoever runs Voices here.`
      : "";
    if (count === 0) {
      say(waitingLine, `No responses are waiting to be sent.${sent}${kept}`);
      return;
    }
    const what = count === 1 ? "1 response is" : `${count} responses are`;
    const stuck = items.some((item) => !senderFor(credentialOf(item.sealed)));
    const when = stuck
      ? " Some can be sent only once whoever recorded them starts collecting again on this device."
      : navigator.onLine
        ? " Sending…"
        : " They will be sent when this device has signal again.";
    say(waitingLine, `${what} waiting to be sent from this device.${when}${sent}${kept}`);
  }

  function showState() {
    const start = line("collect-start");
    const surveyPart = line("collect-survey");
    const credential = current();
    if (!crypto.subtle) {
      // Plain HTTP on another machine: no WebCrypto, so nothing could be kept unreadable.
      surveyPart.hidden = true;
      start.hidden = true;
      say(problemLine, "Collecting needs this page opened over HTTPS: without it the browser cannot keep answers unreadable on the device. Ask whoever runs Voices here.");
    } else if (!credential) {
      surveyPart.hidden = true;
      start.hidden = false;
    } else {
      // Never hidden under someone answering: what they send is sealed and kept all the same.
      surveyPart.hidden = false;
      start.hidden = canSend(credential);
      say(line("collect-who"), `Recording as ${credential.user}.`);
      say(
        line("collect-expiry"),
        canSend(credential)
          ? `This device can send what it records until ${credential.expires_text}.`
          : credential.stopped
            ? `The collector refused this device's credential: ${credential.stopped} Sign in and start collecting again to send what is recorded here (what was sealed to a revoked credential cannot be sent).`
            : "This device's credential has expired. Answers recorded now are kept, sealed, and sent once you sign in and start collecting again.",
      );
    }
    showCount();
  }

  // Sealing, with WebCrypto.
  const text = new TextEncoder();
  function base64(bytes) {
    const view = new Uint8Array(bytes);
    let binary = "";
    for (let start = 0; start < view.length; start += 0x8000) {
      binary += String.fromCharCode.apply(null, view.subarray(start, start + 0x8000));
    }
    return btoa(binary);
  }
  function unbase64(encoded) {
    return Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  }
  async function seal(body, id, sealer) {
    const subtle = crypto.subtle;
    const curve = { name: "ECDH", namedCurve: "P-256" };
    const theirs = await subtle.importKey("raw", unbase64(sealer.key), curve, false, []);
    const mine = await subtle.generateKey(curve, false, ["deriveBits"]);
    const shared = await subtle.deriveBits({ name: "ECDH", public: theirs }, mine.privateKey, 256);
    const stretch = await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
    const key = await subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: text.encode("voices collect v1") },
      stretch,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt"],
    );
    const nonce = crypto.getRandomValues(new Uint8Array(12));
    const data = await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: text.encode(id) }, key, text.encode(body));
    return JSON.stringify({
      credential: sealer.id,
      submission_id: id,
      key: base64(await subtle.exportKey("raw", mine.publicKey)),
      nonce: base64(nonce),
      data: base64(data),
    });
  }

  // The widget's Send: taken (the event cancelled) whenever there is a key to seal to, even
  // one that can no longer send; `done` tells the widget whether it is kept.
  element.addEventListener("voices-collected", (event) => {
    const sealer = current();
    if (!sealer || !crypto.subtle) {
      say(problemLine, "This device holds no credential to keep responses with: sign in and start collecting again.");
      return;
    }
    event.preventDefault();
    const { body, done } = event.detail;
    const id = JSON.parse(body).submission_id;
    sealing += 1;
    showCount();
    seal(body, id, sealer)
      .then((sealed) => {
        if (!write(queuePrefix + id, sealed)) {
          unkept.set(id, sealed);
          say(problemLine, "This device's storage is full or turned off: keep this page open until every response is sent.");
        }
        done(true);
      })
      .catch((error) => {
        console.error("voices collect: a response could not be sealed", error);
        say(problemLine, "A response could not be kept on this device: it is still on screen. Tell whoever runs Voices here.");
        done(false);
      })
      .finally(() => {
        sealing -= 1;
        showCount();
        drain();
      });
  });

  // Sending: each waiting response in turn; one that cannot go now waits for the next try
  // without holding up the rest.
  let draining = false;
  let retry = null;
  let pause = 2000;
  function later() {
    clearTimeout(retry);
    retry = setTimeout(() => {
      retry = null;
      drain();
    }, pause * (0.5 + Math.random() / 2));
    pause = Math.min(pause * 2, 60000);
  }
  // Refusals that sending again cannot change: the response is kept apart, not deleted.
  const FINAL = new Set([
    "erased", "submission_conflict", "invalid_answers", "closed", "bad_request", "too_large", "sealed_with_other_credential",
  ]);
  async function sendOne(sealed, sender) {
    const response = await fetch(`/api/surveys/${encodeURIComponent(survey)}/collected`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${sender.secret}` },
      body: sealed,
      credentials: "omit",
      // A proxy's sign-in page is not the collector's answer.
      redirect: "error",
      signal: AbortSignal.timeout ? AbortSignal.timeout(20000) : undefined,
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      // Not the collector's JSON (a proxy's page): tried again later.
    }
    if ((response.status === 200 || response.status === 201) && answer && answer.receipt) return { kind: "stored" };
    const message = (answer && answer.message) || `the collector answered ${response.status}`;
    if (!answer || !answer.error) return { kind: "later" };
    // About this response alone (its seal, its answers): kept apart; about the credential
    // sending it (unknown, revoked, expired, another survey's): that credential waits.
    if (FINAL.has(answer.error)) return { kind: "refused", message };
    if (answer.error === "unauthorized" || answer.error === "forbidden") return { kind: "stopped", message };
    return { kind: "later" };
  }
  // Asked for while a pass runs (a response sealed meanwhile): one more pass after it.
  let asked = false;
  async function drain() {
    if (draining) {
      asked = true;
      return;
    }
    draining = true;
    let again = false;
    try {
      do {
        asked = false;
        again = await pass();
      } while (asked && !again);
      if (again) later();
      else pause = 2000;
    } finally {
      draining = false;
      showCount();
    }
  }
  // One pass over what waits; true when something is to be tried again later.
  async function pass() {
    let again = false;
    {
      for (const item of waiting()) {
        const sender = senderFor(credentialOf(item.sealed));
        // Waits for its person to start again on this device.
        if (!sender) continue;
        let outcome;
        try {
          outcome = await sendOne(item.sealed, sender);
        } catch (error) {
          // No signal, or the collector out of reach: all of them wait for the next try.
          again = true;
          break;
        }
        if (outcome.kind === "refused") {
          const keptApart = write(refusedPrefix + item.id, JSON.stringify({ sealed: item.sealed, reason: outcome.message }));
          say(problemLine, `The collector refused a response${keptApart ? ", which is kept apart on this device" : ""}: ${outcome.message}`);
          // Where it cannot be kept apart, it stays where it is rather than be lost.
          if (keptApart && item.key) remove(item.key);
          else if (keptApart) unkept.delete(item.id);
        } else if (outcome.kind === "stored") {
          sentHere += 1;
          if (item.key) remove(item.key);
          else unkept.delete(item.id);
        } else if (outcome.kind === "stopped") {
          sender.stopped = outcome.message;
          sender.stoppedAt = now();
          saveCredentials();
          say(problemLine, `Responses cannot be sent with this device's credential: ${outcome.message}`);
          showState();
        } else {
          again = true;
        }
        showCount();
      }
    }
    return again;
  }
  window.addEventListener("online", () => {
    pause = 2000;
    drain();
  });
  window.addEventListener("offline", showCount);
  // Now and then in any case: `online` is not fired by every network that comes back, and a
  // credential expires or may be asked again.
  setInterval(() => {
    showState();
    if (!draining && retry === null && waiting().length > 0) drain();
  }, 30000);

  // Closing the page with responses unsent: the browser asks first (where it can).
  window.addEventListener("beforeunload", (event) => {
    if (waiting().length + sealing > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A shared tablet must not offer one person's words to the next: no autofill, no
  // spelling memory, in every field the widget renders.
  function forgetful(root) {
    for (const field of root.querySelectorAll("input, textarea")) {
      if (field.getAttribute("autocomplete") !== "off") field.setAttribute("autocomplete", "off");
      field.setAttribute("spellcheck", "false");
      field.setAttribute("autocorrect", "off");
    }
  }
  const watchFields = setInterval(() => {
    if (!element.shadowRoot) return;
    clearInterval(watchFields);
    forgetful(element.shadowRoot);
    // Also when the widget reuses a field and sets its `autocomplete` for another question.
    new MutationObserver(() => forgetful(element.shadowRoot)).observe(element.shadowRoot, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["autocomplete"],
    });
  }, 100);

  // Left idle with a response half done: a warning, then the widget's own "stop and clear".
  // 0: never (staff on a long phone call, or typing in paper forms, hold the device).
  const idleSeconds = Number(banner.dataset.idle) || 0;
  const warnSeconds = Math.min(30, Math.ceil(idleSeconds / 2));
  const dialog = line("collect-idle");
  const countdown = line("collect-idle-seconds");
  let lastActive = now();
  let warningSince = null;
  for (const kind of ["pointerdown", "keydown", "input", "scroll"]) {
    document.addEventListener(kind, () => {
      if (warningSince === null) lastActive = now();
    }, { capture: true, passive: true });
  }
  function closeWarning() {
    warningSince = null;
    lastActive = now();
    if (dialog.open) {
      if (dialog.close) dialog.close();
      else dialog.removeAttribute("open");
    }
  }
  // Escape, or the button: either way the person is there.
  line("collect-idle-stay").addEventListener("click", closeWarning);
  dialog.addEventListener("close", () => {
    if (warningSince !== null) closeWarning();
  });
  const stopButton = () => element.shadowRoot && element.shadowRoot.querySelector(".voices-stop button");
  setInterval(() => {
    const stop = idleSeconds > 0 && stopButton();
    if (!stop) {
      if (warningSince !== null) closeWarning();
      lastActive = Math.max(lastActive, now() - 1000);
      return;
    }
    if (warningSince === null && now() - lastActive >= (idleSeconds - warnSeconds) * 1000) {
      warningSince = now();
      countdown.textContent = String(warnSeconds);
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
    } else if (warningSince !== null) {
      const left = warnSeconds - Math.floor((now() - warningSince) / 1000);
      countdown.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        closeWarning();
        stop.click();
      }
    }
  }, 1000);

  // Offline, a reload (or the browser dropping the page from memory) must not end the day's
  // collecting: a service worker answers from a cache of what the page is made of. Once the
  // widget is in, this page fills the cache with everything it loaded (some of it before
  // the service worker was in charge).
  function keepForOffline() {
    caches
      .open("voices-collect-v1")
      .then((cache) => {
        const own = performance
          .getEntriesByType("resource")
          .map((entry) => entry.name)
          .filter((name) => name.startsWith(location.origin) && !name.includes("/collected"));
        const keep = async (address, key) => {
          const response = await fetch(address, { credentials: "same-origin" });
          if (response.ok) await cache.put(key, response);
        };
        // The page under its path alone, as the service worker looks it up.
        const page = new URL(banner.dataset.address, location.href);
        return Promise.all([keep(page.href, page.origin + page.pathname), ...own.map((address) => keep(address, address))]);
      })
      .catch((error) => console.warn("voices collect: this page may not open again without signal:", error));
  }
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker
      .register("/collect-sw.js", { scope: "/admin/collect/" })
      .catch((error) => console.warn("voices collect: no service worker, so no reload without signal:", error));
    const whenReady = setInterval(() => {
      if (!element.hasAttribute("ready")) return;
      clearInterval(whenReady);
      keepForOffline();
    }, 250);
  }

  showState();
  drain();
})();
