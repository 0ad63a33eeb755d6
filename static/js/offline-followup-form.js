// The follow-up form offline (offline-followups.js): the online form's checks, and the body the server takes.
//
// The offline page holds the page's own form, rendered blank (templates/outcomes/_offline_section.html); these
// are the checks of registry/outcomes/forms.py (FollowUpForm.validate) and of the service's dates
// (registry/outcomes/services.py), with the page's words. The server judges again at sync: they only spare the
// officer a refusal later, when the person is no longer on the line.
(function () {
  "use strict";
  var EMPLOYED = ["wage_employed", "self_employed"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }

  function field(form, name) { return form.querySelector('[name="' + name + '"]'); }

  function value(form, name) {
    var input = field(form, name);
    return input.type === "checkbox" ? input.checked : input.value.trim();
  }

  function markWrong(input, message) {
    input.classList.add("is-invalid");
    var note = document.createElement("div");
    note.className = "invalid-feedback d-block";
    note.textContent = message;
    note.dataset.offlineCheck = input.name;
    (input.type === "checkbox" ? input.parentNode : input).insertAdjacentElement("afterend", note);
  }

  // The online form's checks (registry/outcomes/forms.py and services.py), in the page's words; {name: message}.
  function problems(form, due, words) {
    var found = {};
    var on = value(form, "followed_on");
    var reached = value(form, "reached") === "yes";
    var status = value(form, "status");
    var started = value(form, "job_started_on");
    var income = value(form, "monthly_income");
    ["followed_on", "reached", "method"].forEach(function (name) {
      if (!value(form, name)) { found[name] = words.required; }
    });
    var chosen = value(form, "enrollment");
    var trainings = due.completed.filter(function (e) { return chosen ? String(e.id) === chosen : e.ended_on <= on; });
    var training = trainings[0];
    if (on && on > today()) {
      found.followed_on = words.future;
    } else if (on && !training) {
      found.followed_on = words.noTraining;
    } else if (on && on < training.ended_on) {
      found.followed_on = words.beforeTraining;
    }
    if (reached && !status) { found.status = words.status; }
    if (started && started > today()) { found.job_started_on = words.jobFuture; }
    var job = reached && EMPLOYED.indexOf(status) !== -1;
    if (job && !started && !value(form, "job_before_training")) { found.job_started_on = words.jobStart; }
    if (job && value(form, "job_before_training") && started && training && training.enrolled_on &&
        started >= training.enrolled_on) {
      found.job_started_on = fill(words.jobAfter, {day: training.enrolled_on});
    }
    if (income !== "" && !(Number(income) >= 0)) {
      found.monthly_income = words.negative;
    } else if (reached && income === "") {
      found.monthly_income = words.income;
    } else if (reached && Number(income) > 0 && !value(form, "currency")) {
      found.currency = words.currency;
    }
    if (reached && status === "migrated_abroad" && !value(form, "country")) { found.country = words.country; }
    return found;
  }

  function yesNo(text) { return text === "yes" ? true : text === "no" ? false : null; }

  function number(text) { return text === "" ? null : Number(text); }

  // The API's body (registry/api/follow_ups.py), as the online form's values() keeps them: job details only
  // for someone reached, the country only for someone who migrated.
  function bodyOf(form) {
    var body = {on: value(form, "followed_on"), reached: value(form, "reached") === "yes",
                method: value(form, "method"), enrollment: number(value(form, "enrollment")),
                window: number(value(form, "window")), note: value(form, "note")};
    if (body.reached) {
      var status = value(form, "status");
      body.status = status;
      body.job_started_on = value(form, "job_started_on") || null;
      body.job_before_training = EMPLOYED.indexOf(status) !== -1 && value(form, "job_before_training");
      body.employer = value(form, "employer");
      body.sector = value(form, "sector");
      body.related_to_training = yesNo(value(form, "related_to_training"));
      body.monthly_income = number(value(form, "monthly_income"));
      body.currency = value(form, "currency") || null;
      body.hours_per_week = number(value(form, "hours_per_week"));
      if (status === "migrated_abroad") {
        body.country = value(form, "country");
        body.regular_channels = yesNo(value(form, "regular_channels"));
      }
    }
    return body;
  }

  window.offlineFollowUpForm = {field: field, problems: problems, markWrong: markWrong, bodyOf: bodyOf, today: today};
})();
