/* 個人番号表示 (issue 14): the number is taken off the page when the staff member leaves it (another tab,
   the screen locked, the window minimised) and after two minutes in any case. Loaded as a file: the
   screens' Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var hide = function () {
    var shown = document.getElementById("shown-number");
    if (shown) {
      shown.remove();
      document.getElementById("hidden-note").hidden = false;
    }
  };
  document.addEventListener("visibilitychange", function () { if (document.hidden) { hide(); } });
  window.setTimeout(hide, 120000);
})();
