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

  /* Fields that matter only for some choices of another (data-shown-when="<id>=<value>,<value>", set by
     core.forms.FieldGroupsMixin): hidden otherwise, and with the field that decides them. Without this
     script every field shows; the server reads only the ones that apply. */
  function chosenValue(control) {
    if (control.matches("select, input")) return control.value;
    var checked = control.querySelector("input:checked");
    return checked ? checked.value : "";
  }

  function showWhen(root) {
    root.querySelectorAll("[data-shown-when]").forEach(function (element) {
      var condition = element.getAttribute("data-shown-when").split("=");
      var control = document.getElementById(condition[0]);
      if (!control) return;
      var wanted = condition[1].split(",");
      var holder = control.closest("[data-shown-when]");
      element.hidden = (holder !== null && holder.hidden) || wanted.indexOf(chosenValue(control)) === -1;
    });
  }

  function start(root) {
    enhance(root);
    showWhen(root);
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("change", function () { showWhen(document); });
  document.addEventListener("htmx:afterSwap", function (event) { start(event.target); });
})();
