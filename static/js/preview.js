// Live Markdown preview for compose forms. The form works without it.
(function () {
  "use strict";
  var token = document.querySelector('input[name="csrf_token"]');
  document.querySelectorAll(".markdown-editor").forEach(function (editor) {
    var textarea = editor.querySelector("textarea");
    var box = editor.querySelector(".preview");
    var body = editor.querySelector(".preview-body");
    var url = editor.getAttribute("data-preview-url");
    var timer = null;
    var sequence = 0;
    if (!textarea || !box || !url) { return; }
    function refresh() {
      var text = textarea.value;
      var mine = ++sequence;
      if (!text.trim()) { box.hidden = true; return; }
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
        body: JSON.stringify({ body: text })
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data || mine !== sequence) { return; }
        body.innerHTML = data.html; // already sanitised by the server's one markup function
        box.hidden = false;
      }).catch(function () { /* preview is an extra; typing goes on */ });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    if (textarea.value.trim()) { refresh(); }
  });
}());
