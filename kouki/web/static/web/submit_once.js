/* A form marked <form data-submit-once="BUTTON-ID"> disables that button when it is sent, so a second click
   while the page loads cannot send it twice (窓口収納). Loaded as a file: the screens'
   Content-Security-Policy allows no inline script or event attribute. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById(form.getAttribute("data-submit-once"));
      if (button) { button.disabled = true; }
    });
  });
})();
