// Review queue keyboard shortcuts: j/k move between items, a approve, s remove as spam,
// r remove, x select for a bulk action. The queue works fully without this file.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  if (!items.length) { return; }
  var current = -1;
  function focusItem(index) {
    if (index < 0 || index >= items.length) { return; }
    if (current >= 0) { items[current].classList.remove("is-current"); }
    current = index;
    items[current].classList.add("is-current");
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }
  items.forEach(function (item, index) {
    item.addEventListener("focusin", function () {
      if (current !== index) {
        if (current >= 0) { items[current].classList.remove("is-current"); }
        current = index;
        item.classList.add("is-current");
      }
    });
  });
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j") { focusItem(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusItem(Math.max(current - 1, 0)); event.preventDefault(); return; }
    if (current < 0) { return; }
    var item = items[current];
    if (key === "x") {
      var box = item.querySelector("[data-select]");
      if (box) { box.checked = !box.checked; }
      event.preventDefault();
      return;
    }
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
}());
