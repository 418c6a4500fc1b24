// The referral form's long menu of programs and centres gets a box that narrows it as you
// type. Without scripts the menu still works, and typing a name's first letters jumps to it.
(function () {
  "use strict";

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
    label.textContent = select.getAttribute("data-filter-label") || "Type part of a name to shorten the list";
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
})();
