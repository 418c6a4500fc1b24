// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Wide screens show the filters beside the results; browsers that cannot do that in CSS
  // (no ::details-content) get the disclosure opened here instead.
  if (window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll(".filters-disclosure").forEach(function (details) {
      details.open = true;
    });
  }

  // "Use my location": the browser works out the position; it fills the form's hidden
  // lat/lng fields (rounded to about 100 m) and submits. Nothing is stored.
  if ("geolocation" in navigator) {
    document.querySelectorAll("[data-locate]").forEach(function (box) {
      var form = box.closest("form");
      var lat = form && form.querySelector("input[name=lat]");
      var lng = form && form.querySelector("input[name=lng]");
      if (!lat || !lng) {
        return;
      }
      // The words come from the page (data-label-*), so they follow its language.
      function label(name, fallback) {
        return box.getAttribute("data-label-" + name) || fallback;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary locate-button";
      button.textContent = label("use", "Use my location");
      var status = document.createElement("p");
      status.className = "hint";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        status.textContent = label("finding", "Finding your location…");
        navigator.geolocation.getCurrentPosition(
          function (position) {
            lat.value = position.coords.latitude.toFixed(3);
            lng.value = position.coords.longitude.toFixed(3);
            var where = form.querySelector("input[name=where]");
            if (where) {
              where.value = "";
            }
            form.submit();
          },
          function () {
            status.textContent = label(
              "unavailable",
              "Your location is not available. Type a ZIP code or town instead."
            );
          },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
        );
      });
      box.appendChild(button);
      box.appendChild(status);
    });
  }

  // A meeting type's definition opens on hover and keyboard focus (CSS alone). Escape closes
  // it without moving the pointer or focus, as WCAG 1.4.13 asks; it opens again when the
  // pointer or focus next comes to it. Escape still counts towards the quick exit below.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    document.querySelectorAll(".type-list li:hover, .type-list li:focus-within").forEach(function (term) {
      term.classList.add("is-dismissed");
    });
  });
  function reopenTypeTerm(event) {
    var term = event.target.closest ? event.target.closest(".type-list li") : null;
    if (term && !term.contains(event.relatedTarget)) {
      term.classList.remove("is-dismissed");
    }
  }
  document.addEventListener("mouseover", reopenTypeTerm);
  document.addEventListener("focusin", reopenTypeTerm);

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
      status.textContent = exit.getAttribute("data-again") || "Press Escape again to leave this site.";
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
