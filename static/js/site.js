// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // A long menu of programs and centres gets a box that narrows it as you type. Without
  // scripts the menu still works, and typing a name's first letters jumps to it.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-filterable]"), function (select) {
    var options = Array.prototype.slice.call(select.querySelectorAll("option[value]:not([value=''])"));
    if (options.length < 8) {
      return;
    }
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "_filter";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "filter-label";
    label.textContent = "Type part of a name to shorten the list";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      options.forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match && !option.selected;
        option.disabled = !match && !option.selected;
      });
    });
  });

  // Quick exit. The link already works without scripts; with them, leaving replaces this page
  // in the history (so Back does not return here) and hides it at once while the next page
  // loads. Pressing Escape twice within two seconds does the same from anywhere on the page.
  var exit = document.querySelector("[data-quick-exit]");
  if (!exit) {
    return;
  }
  var status = document.querySelector("[data-quick-exit-status]");
  var hint = document.querySelector("[data-quick-exit-hint]");
  if (hint) {
    hint.hidden = false; // the shortcut only exists when this script runs
  }
  var root = document.documentElement;
  var lastEscape = 0;
  var WINDOW_MS = 2000;

  function leave() {
    root.classList.add("is-leaving");
    document.title = "";
    window.location.replace(exit.href);
  }

  exit.addEventListener("click", function (event) {
    // Let people open the neutral site in a new tab or window if that is what they asked for.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    if (now - lastEscape <= WINDOW_MS) {
      leave();
      return;
    }
    lastEscape = now;
    if (status) {
      status.textContent = "Press Escape again to leave this site.";
      window.setTimeout(function () {
        status.textContent = "";
      }, WINDOW_MS);
    }
  });

  // Coming back from the browser's page cache: show the page again.
  window.addEventListener("pageshow", function () {
    root.classList.remove("is-leaving");
  });
})();
