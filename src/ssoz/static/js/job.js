// A job's page: asks for the job's state every few seconds while it runs and shows it in place;
// once the job is done, the page is loaded again with its result. Without this script the page
// offers a link that loads it again.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-state-url]");
  if (!box || box.dataset.finished === "1") { return; }
  var progress = document.getElementById("job-progress");
  var counts = box.querySelector("[data-job-counts]");
  var label = box.querySelector("[data-job-state-label]");
  var summary = box.querySelector("[data-job-summary]");
  var lastState = null;

  function show(job) {
    if (job.total) {
      progress.max = job.total;
      progress.value = job.done;
      counts.textContent = counts.dataset.template
        ? counts.dataset.template.replace("{done}", job.done).replace("{total}", job.total)
        : job.done + " / " + job.total;
    }
    // Only a change of state is written into the live region, so it is read out once.
    if (job.state !== lastState) {
      lastState = job.state;
      label.textContent = job.state_label.charAt(0).toUpperCase() + job.state_label.slice(1);
      summary.textContent = job.summary ? ": " + job.summary : "";
    }
  }

  function poll() {
    fetch(box.dataset.jobStateUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { setTimeout(poll, 5000); return; }
        show(job);
        if (job.finished) { window.location.reload(); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
