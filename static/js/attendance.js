// "Mark all present" on the attendance page: ticks Present for everyone; the trainer then changes the few who were not.
(function () {
  "use strict";
  var button = document.getElementById("mark-all-present");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var radios = document.querySelectorAll('#attendance-form input[type="radio"][value="present"]');
    radios.forEach(function (radio) { radio.checked = true; });
  });
})();
