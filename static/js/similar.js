// Similar questions while a customer types a new question's title. The form works without it.
// Opening a suggestion goes through /search/go (counted as "suggestion opened"); the button
// "This answered my question" posts to /search/deflect (counted as "answered").
(function () {
  "use strict";
  var box = document.getElementById("similar-questions");
  var title = document.getElementById("title");
  var template = document.getElementById("suggestion-template");
  if (!box || !title || !template || !window.fetch) { return; }
  var list = box.querySelector(".suggestion-list");
  var thanks = box.querySelector(".deflected");
  var token = document.querySelector('input[name="csrf_token"]');
  var similarUrl = box.getAttribute("data-similar-url");
  var deflectUrl = box.getAttribute("data-deflect-url");
  var timer = null;
  var sequence = 0;
  var last = "";

  function show(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var row = template.content.firstElementChild.cloneNode(true);
      var link = row.querySelector(".suggestion-title");
      var button = row.querySelector("button");
      link.textContent = item.title;
      link.href = item.open_url;
      row.querySelector(".badge.kb").hidden = item.type !== "article";
      // The snippet is escaped by the server; its only markup is <mark>.
      row.querySelector(".snippet").innerHTML = item.snippet;
      button.setAttribute("data-type", item.type);
      button.setAttribute("data-id", item.id);
      list.appendChild(row);
    });
    box.hidden = items.length === 0;
  }

  function refresh() {
    var text = title.value.trim();
    if (text === last) { return; }
    last = text;
    var mine = ++sequence;
    if (text.length < 8) { show([]); return; }
    fetch(similarUrl + "?title=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && mine === sequence) { show(data.items || []); }
    }).catch(function () { /* suggestions are an extra; asking goes on */ });
  }

  function deflect(button) {
    button.disabled = true;
    fetch(deflectUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token ? token.value : ""
      },
      body: JSON.stringify({ type: button.getAttribute("data-type"), id: button.getAttribute("data-id") })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || !data.url) { button.disabled = false; return; }
      thanks.hidden = false;
      window.location.href = data.url;
    }).catch(function () { button.disabled = false; });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-id]");
    if (button) { deflect(button); }
  });
  if (title.value.trim()) { refresh(); }
}());
