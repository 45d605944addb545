// "Report" opens the report form in a dialog instead of a new page. Without this file the
// link leads to the same form on its own page.
(function () {
  "use strict";
  if (typeof HTMLDialogElement !== "function") { return; }
  var dialog = null;
  function close() { if (dialog) { dialog.close(); } }
  function open(url, opener) {
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html) { window.location.href = url; return; }
      var page = new DOMParser().parseFromString(html, "text/html");
      var form = page.querySelector("form.flag-form");
      if (!form) { window.location.href = url; return; }
      if (!dialog) {
        dialog = document.createElement("dialog");
        dialog.className = "flag-dialog";
        dialog.setAttribute("aria-labelledby", "flag-dialog-title");
        document.body.appendChild(dialog);
        dialog.addEventListener("close", function () { if (dialog.opener) { dialog.opener.focus(); } });
      }
      dialog.opener = opener;
      dialog.innerHTML = '<h2 id="flag-dialog-title">Report this post</h2>';
      dialog.appendChild(document.importNode(form, true));
      var cancel = dialog.querySelector("[data-dialog-close]");
      if (cancel) {
        cancel.addEventListener("click", function (event) { event.preventDefault(); close(); });
      }
      dialog.showModal();
      var first = dialog.querySelector("input, textarea, button");
      if (first) { first.focus(); }
    }).catch(function () { window.location.href = url; });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.flag-link") : null;
    if (!link) { return; }
    event.preventDefault();
    open(link.getAttribute("data-flag-url") || link.href, link);
  });
}());
