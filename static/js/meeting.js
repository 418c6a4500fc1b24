// Progressive enhancement for a program's page only: the page works without this file.
(function () {
  "use strict";

  // "Link to this meeting" is a plain link anyone can copy. Where the browser can share (or
  // else copy to the clipboard), one tap does that instead.
  var canShare = typeof navigator.share === "function";
  var canCopy = !canShare && navigator.clipboard && window.isSecureContext;
  if (canShare || canCopy) {
    document.querySelectorAll("[data-share]").forEach(function (link) {
      // The words come from the page (data-*-label), so they follow its language.
      link.firstChild.nodeValue = canShare
        ? link.dataset.shareLabel || "Share this meeting"
        : link.dataset.copyLabel || "Copy link to this meeting";
      var said = document.createElement("span");
      said.setAttribute("role", "status");
      link.parentNode.appendChild(said);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (canShare) {
          navigator.share({ title: link.dataset.shareTitle, url: link.href }).catch(function () {});
        } else {
          navigator.clipboard.writeText(link.href).then(function () {
            said.textContent = " " + (link.dataset.copiedLabel || "Link copied.");
          });
        }
      });
    });
  }
})();
