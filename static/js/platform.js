/* The platform's own script: progressive enhancements only — every page works without it.

   Long lists (organisations, countries, time zones) become searchable: type a few letters of a name to
   narrow the list (Tom Select, vendored). The native <select> stays in the form and carries the value, so
   forms post exactly what they would without JavaScript. Lists that htmx swaps in are enhanced too. */
(function () {
  "use strict";

  function enhance(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (select.tomselect) return;
      new TomSelect(select, {
        plugins: select.multiple ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: true,
        hideSelected: select.multiple,
        closeAfterSelect: !select.multiple,
      });
      // The combobox takes the label (Tom Select points it there); the native list it drives stays in the
      // form for its value only, out of the keyboard's and screen readers' way.
      select.setAttribute("aria-hidden", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
