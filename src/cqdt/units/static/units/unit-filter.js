// Narrows a unit <select> as one types in its filter box, ignoring case and Vietnamese
// diacritics (đ → d), like the server-side filter (core.text.fold). Without JavaScript the filter
// box is a GET form that the view answers with the narrowed list.
(function () {
  "use strict";
  function fold(text) {
    return text.replace(/[đĐ]/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  function attach(input) {
    var select = document.getElementById(input.getAttribute("data-filters"));
    if (!select) return;
    input.addEventListener("input", function () {
      var needle = fold(input.value);
      select.querySelectorAll("optgroup").forEach(function (group) {
        var groupMatches = needle === "" || fold(group.label).indexOf(needle) !== -1;
        var inGroup = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var ok = groupMatches || fold(option.textContent).indexOf(needle) !== -1;
          option.hidden = !ok;
          if (ok) inGroup += 1;
        });
        group.hidden = inGroup === 0;
      });
      // The live line under the filter says how many units are left.
      var count = document.querySelector("#" + select.id + "-found [data-other]");
      if (count) {
        var left = select.querySelectorAll("optgroup:not([hidden]) option:not([hidden])").length;
        count.textContent = left === 1 ? count.getAttribute("data-one")
          : count.getAttribute("data-other").replace("0", String(left));
      }
      // The first unit left is chosen when the one chosen is hidden, or when none is (a
      // chooser that opens on its empty "choose" option): typing a name picks it.
      var first = select.querySelector("optgroup:not([hidden]) option:not([hidden])");
      var chosen = select.selectedOptions.length ? select.selectedOptions[0] : null;
      if (first && needle !== "" && (!chosen || chosen.hidden || chosen.value === "")) {
        first.selected = true;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filters]").forEach(attach);
  });
})();
