// A button that cannot do anything yet is disabled, with its reason shown: the element marked
// data-enables="<button id>" (a file input, a checkbox) enables it once it holds a file or is ticked.
// The reason is the button's aria-describedby element, written in the page (so it is translated).
(function () {
  "use strict";
  function ready(control) {
    return control.type === "file" ? control.files.length > 0 : control.checked;
  }
  function update(control) {
    var button = document.getElementById(control.dataset.enables);
    if (!button) { return; }
    var reason = document.getElementById(button.getAttribute("aria-describedby"));
    button.disabled = !ready(control);
    if (reason) { reason.hidden = !button.disabled; }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-enables]"), function (control) {
    update(control);
    control.addEventListener("change", function () { update(control); });
  });
})();
