// The report page: „zwiń/rozwiń”, saving in the background, and what the server says back.
// Without this script every button still works through plain form submits.
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) { return; }
  // getAttribute: the form has a field named "action", which hides the form.action property.
  var STORAGE_KEY = "ssoz-report-" + form.getAttribute("action");

  // Sections the user collapsed stay collapsed when a save or a verification redraws the form.
  var collapsed = {};

  function initSectionToggles(root) {
    root.querySelectorAll("[data-toggle-section]").forEach(function (button) {
      var bodyId = button.getAttribute("aria-controls");
      var body = document.getElementById(bodyId);
      button.hidden = false;
      if (collapsed[bodyId]) {
        button.setAttribute("aria-expanded", "false");
        body.hidden = true;
      }
      button.addEventListener("click", function () {
        var expanded = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", expanded ? "false" : "true");
        body.hidden = expanded;
        collapsed[bodyId] = expanded;
      });
    });
  }

  // What was typed but never confirmed by the server (the connection dropped, the browser was
  // closed mid-save) is put back into the fields and saved, with the revision it was typed on,
  // so a colleague's later change is not overwritten but reported as a conflict.
  function restoreUnsaved() {
    var saved;
    try { saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { saved = null; }
    var f = currentForm();
    if (!saved || !f || !f.dataset.autosaveUrl) { return false; }
    var changed = false;
    Object.keys(saved).forEach(function (name) {
      if (name === "revision" || name === "action") { return; }
      var values = saved[name];
      f.querySelectorAll("[name=\"" + name.replace(/"/g, "") + "\"]").forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          var want = values.indexOf(input.value) !== -1;
          if (input.checked !== want) { input.checked = want; changed = true; }
        } else if (input.value !== values[0]) {
          input.value = values[0];
          changed = true;
        }
      });
    });
    if (!changed) {
      try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
      return false;
    }
    if (saved.revision) { f.querySelector("[name=revision]").value = saved.revision[0]; }
    return true;
  }

  // --- Background saving -------------------------------------------------------------------
  var status, timer = null, inFlight = false, dirty = false;

  function setStatus(state, text) {
    status = document.getElementById("save-status");
    if (!status) { return; }
    status.dataset.state = state;
    status.textContent = text || status.dataset[state + "Text"];
  }

  function currentForm() { return document.getElementById("report-form"); }

  // The background save sends the form urlencoded: it is cheaper for the server to read than
  // a multipart body, and the form has no files.
  function formBody(f) {
    var data = new URLSearchParams(new FormData(f));
    data.set("action", "autosave");
    return data;
  }

  function snapshot() {
    // Kept in the browser until the server confirms, so a lost connection loses nothing.
    try {
      var data = {};
      new FormData(currentForm()).forEach(function (value, key) {
        if (key === "csrfmiddlewaretoken") { return; }
        (data[key] = data[key] || []).push(value);
      });
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(data));
    } catch (e) { /* private mode or full storage: the server save still runs */ }
  }

  // Problems found by the background save go to a list of their own beside the field, so the
  // messages of the last verification stay until the next one.
  function showLive(container, id, messages) {
    var listId = id + "-live";
    var list = document.getElementById(listId);
    var input = document.getElementById(id);
    if (!messages.length) {
      if (list) { list.remove(); }
      if (input && !input.readOnly) {
        var rest = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
          return x && x !== listId;
        });
        if (rest.length) { input.setAttribute("aria-describedby", rest.join(" ")); }
        else { input.removeAttribute("aria-describedby"); }
        if (!document.getElementById(id + "-msg")) { input.removeAttribute("aria-invalid"); }
      }
      return;
    }
    if (!list) {
      list = document.createElement("ul");
      list.className = "field__messages";
      list.id = listId;
      container.appendChild(list);
    }
    list.innerHTML = "";
    messages.forEach(function (text) {
      var item = document.createElement("li");
      item.className = "field__message field__message--error";
      item.textContent = text;
      list.appendChild(item);
    });
    if (input && !input.readOnly) {
      input.setAttribute("aria-invalid", "true");
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(listId) === -1) { ids.push(listId); }
      input.setAttribute("aria-describedby", ids.join(" "));
    }
  }

  // The server answers with references ("D1.W01.K1"); the page's ids are "f-D1-W01-K1".
  function domId(ref) { return "f-" + ref.replace(/\./g, "-"); }
  function byDomId(map) {
    var out = {};
    Object.keys(map || {}).forEach(function (ref) { out[domId(ref)] = map[ref]; });
    return out;
  }

  function apply(result) {
    var f = currentForm();
    var check = result.check || {};
    var values = byDomId(check.values);
    var problems = byDomId(check.problems);
    var conflicts = byDomId(result.conflicts);
    var refused = byDomId(result.refused);
    var irrelevant = (check.irrelevant || []).map(domId);
    f.querySelector("[name=revision]").value = result.revision;
    // Computed fields (read-only, without a name) show the server's new totals.
    f.querySelectorAll("input.input--computed").forEach(function (input) {
      input.value = values[input.id] || "";
    });
    f.querySelectorAll("[data-field]").forEach(function (container) {
      var id = container.dataset.field;
      var messages = (problems[id] || []).slice();
      if (conflicts[id]) { messages.unshift(conflicts[id].message); }
      if (refused[id]) { messages.unshift(refused[id]); }
      showLive(container, id, messages);
      if (container.classList.contains("report-field")) {
        container.hidden = irrelevant.indexOf(id) !== -1;
      }
    });
  }

  // „Weryfikuj bez wysyłania” answers with the verification and, as data, the messages it puts
  // at each field: they replace the last verification's, as if the form had been drawn again.
  function messageAnchor(container, id) {
    if (container.tagName === "TD") { return null; }  // a table cell: at its end
    var anchor = document.getElementById(id + "-help") ||
      container.querySelector("legend") || container.querySelector(".field__label");
    return anchor ? anchor.nextSibling : null;
  }

  function showVerified(container, id, messages) {
    var listId = id + "-msg";
    var old = document.getElementById(listId);
    if (old) { old.remove(); }
    var live = document.getElementById(id + "-live");
    if (live) { live.remove(); }
    var input = document.getElementById(id);
    var hasError = messages.some(function (m) { return m[0] === "error"; });
    if (messages.length) {
      var list = document.createElement("ul");
      list.className = "field__messages";
      list.id = listId;
      messages.forEach(function (m) {
        var item = document.createElement("li");
        item.className = "field__message field__message--" + m[0];
        item.textContent = m[1];
        list.appendChild(item);
      });
      var at = messageAnchor(container, id);
      var parent = at ? at.parentNode : (input && input.tagName === "FIELDSET" ? input : container);
      parent.insertBefore(list, at);
    }
    if (container.tagName === "TD") {
      container.classList.toggle("grid__cell--error", hasError);
      container.classList.toggle("grid__cell--warning", !hasError && messages.length > 0);
    } else {
      container.classList.toggle("field--error", hasError);
    }
    if (!input || input.classList.contains("input--computed")) { return; }
    var ids = [];
    if (document.getElementById(id + "-help")) { ids.push(id + "-help"); }
    if (messages.length) { ids.push(listId); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
    if (input.tagName === "FIELDSET") { return; }
    if (hasError) { input.setAttribute("aria-invalid", "true"); }
    else { input.removeAttribute("aria-invalid"); }
  }

  function applyVerification() {
    var data = document.getElementById("verification-fields");
    var f = currentForm();
    if (!data || !f) { return; }
    var fields = JSON.parse(data.textContent);
    data.remove();
    f.querySelector("[name=revision]").value = fields.revision;
    f.querySelectorAll("input.input--computed").forEach(function (input) {
      input.value = fields.computed[input.id] || "";
    });
    f.querySelectorAll("[data-field]").forEach(function (container) {
      var id = container.dataset.field;
      showVerified(container, id, fields.messages[id] || []);
      if (container.classList.contains("report-field")) {
        container.hidden = fields.irrelevant.indexOf(id) !== -1;
      }
    });
    f.querySelectorAll("section.report-section").forEach(function (section) {
      section.hidden = fields.sections_irrelevant.indexOf(section.id) !== -1;
    });
    var line = document.getElementById("save-status");
    if (line) { setStatus("saved", line.dataset.savedText + " (" + fields.saved_at + ")"); }
  }

  function save() {
    timer = null;
    if (inFlight) { dirty = true; return; }
    var f = currentForm();
    if (!f || !f.dataset.autosaveUrl) { return; }
    inFlight = true; dirty = false;
    setStatus("saving");
    var data = formBody(f);
    fetch(f.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken"), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      inFlight = false;
      // The server renewed the session: the inactivity warning starts counting again.
      document.dispatchEvent(new CustomEvent("ssoz:activity"));
      if (!answer.ok) { setStatus("failed", answer.body.message); return; }
      apply(answer.body);
      if (answer.body.ok) {
        try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
        setStatus("saved", status.dataset.savedText + " (" + answer.body.saved_at + ")");
      } else {
        setStatus("failed", status.dataset.unsavedText);
      }
      if (dirty) { schedule(); }
    }).catch(function () {
      inFlight = false;
      setStatus("failed");
    });
  }

  function schedule() {
    setStatus("unsaved");
    snapshot();
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  function onEdit(event) {
    var target = event.target;
    if (!target.name || target.name === "revision" || target.readOnly) { return; }
    schedule();
  }

  document.addEventListener("input", function (event) {
    if (currentForm() && currentForm().contains(event.target)) { onEdit(event); }
  });
  document.addEventListener("change", function (event) {
    if (currentForm() && currentForm().contains(event.target)) { onEdit(event); }
  });
  // Leaving the page with unsaved typing: send it anyway. Nothing is sent when everything
  // typed is already stored (or nothing was typed at all).
  window.addEventListener("pagehide", function () {
    var f = currentForm();
    var line = document.getElementById("save-status");
    var state = line ? line.dataset.state : "";
    var pending = timer !== null || dirty || state === "unsaved";
    if (!f || !f.dataset.autosaveUrl || !pending) { return; }
    if (navigator.sendBeacon) { navigator.sendBeacon(f.dataset.autosaveUrl, formBody(f)); }
  });
  // A manual save or verify must not race a background save; it carries everything typed.
  document.addEventListener("htmx:beforeRequest", function (event) {
    clearTimeout(timer); timer = null;
    if (event.detail.elt !== currentForm()) { return; }
    setStatus("saving");
  });
  // The control focused when the new form arrives (not when it was asked for: the user may
  // have moved on meanwhile) is focused again in the new form, so the focus is not lost.
  var focusAfterSwap = null;
  function rememberFocus() {
    var f = currentForm();
    var focused = document.activeElement;
    focusAfterSwap = null;
    if (f && focused && f.contains(focused)) {
      if (focused.name === "action") {
        focusAfterSwap = "button[name=action][value='" + focused.value + "']";
      } else if (focused.id) {
        focusAfterSwap = "[id='" + focused.id + "']";
      }
    }
  }
  // A save that stored not everything (a conflict, 409; a refused value, 400) answers with the
  // form showing why, next to the fields: show it, as htmx does not swap error answers itself.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    var target = event.detail.target;
    if (target && target.id === "report-form") { rememberFocus(); }
    if ((code === 400 || code === 409) && target && target.id === "report-form") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:sendError", function () { setStatus("failed"); });
  document.addEventListener("htmx:responseError", function () { setStatus("failed"); });
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail.target;
    if (root && root.id === "verification-slot") {
      applyVerification();
      document.getElementById("verification").focus();
      return;
    }
    if (root && root.id === "report-form") {
      // The form was replaced: wire up the new one.
      initSectionToggles(currentForm());
      var verification = document.getElementById("verification");
      var again = focusAfterSwap && currentForm().querySelector(focusAfterSwap);
      if (verification) { verification.focus(); } else if (again) { again.focus(); }
      focusAfterSwap = null;
    }
  });

  initSectionToggles(document);
  if (document.getElementById("verification")) { document.getElementById("verification").focus(); }
  if (restoreUnsaved()) {
    setStatus("restored");
    save();
  }
})();
