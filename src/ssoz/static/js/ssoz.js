// SSOZ: a little progressive enhancement. Everything works without it.
(function () {
  "use strict";

  // WCAG 2.2.1: warn before the session ends for inactivity and offer to extend it.
  function sessionWarning() {
    var body = document.body;
    var timeout = parseInt(body.dataset.sessionTimeout || "0", 10);
    var warnBefore = parseInt(body.dataset.sessionWarning || "120", 10);
    var dialog = document.getElementById("session-warning");
    if (!timeout || !dialog) { return; }
    var countdown = dialog.querySelector("[data-countdown]");
    var deadline, warnTimer, tickTimer;

    function format(seconds) {
      var m = Math.floor(seconds / 60), s = seconds % 60;
      return m + ":" + (s < 10 ? "0" : "") + s;
    }
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      // Announce whole minutes only, so screen readers are not flooded.
      if (left % 30 === 0 || left < 10) { countdown.textContent = format(left); }
      if (left <= 0) {
        clearInterval(tickTimer);
        window.location.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
      }
    }
    function schedule() {
      clearTimeout(warnTimer); clearInterval(tickTimer);
      deadline = Date.now() + timeout * 1000;
      warnTimer = setTimeout(function () {
        countdown.textContent = format(warnBefore);
        if (!dialog.open) { dialog.showModal(); }
        tickTimer = setInterval(tick, 1000);
      }, Math.max(0, (timeout - warnBefore) * 1000));
    }
    dialog.querySelector("[data-extend-session]").addEventListener("click", function () {
      var token = document.querySelector("[name=csrfmiddlewaretoken]");
      fetch(body.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.ok) { dialog.close(); schedule(); }
      });
    });
    // Any request to the server renews the session, so restart the clock after htmx calls too.
    document.addEventListener("htmx:afterRequest", schedule);
    document.addEventListener("ssoz:activity", schedule);
    schedule();
  }

  // Move focus to the error summary after a failed submit, so it is read first.
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    sessionWarning();
    focusErrorSummary();
  });
})();
