// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
