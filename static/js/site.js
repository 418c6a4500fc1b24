// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
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
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary locate-button";
      button.textContent = "Use my location";
      var status = document.createElement("p");
      status.className = "hint";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        status.textContent = "Finding your location…";
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
            status.textContent = "Your location is not available. Type a ZIP code or town instead.";
          },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
        );
      });
      box.appendChild(button);
      box.appendChild(status);
    });
  }
})();
