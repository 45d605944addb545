"""Reading pages the way a person does."""

import html

import html5lib


def text(response):
    """The response body with HTML entities decoded, so "doesn't" matches "doesn&#39;t"."""
    return html.unescape(response.get_data(as_text=True))


UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


def parse(body):
    return html5lib.parse(body, namespaceHTMLElements=False)


def label_problems(document):
    """Controls a screen reader would announce without a name."""
    labelled = {label.get("for") for label in document.iter("label")}
    inside_label = {id(control) for label in document.iter("label") for control in label.iter()}
    problems = []
    controls = (e for e in document.iter() if e.tag in ("input", "select", "textarea"))
    for control in controls:
        if control.tag == "input" and control.get("type", "text") in UNLABELLED_TYPES:
            continue
        if not (
            control.get("id") in labelled
            or id(control) in inside_label
            or control.get("aria-label")
            or control.get("aria-labelledby")
        ):
            problems.append(f"unlabelled control {control.get('name')}")
    for button in document.iter("button"):
        if not ("".join(button.itertext()).strip() or button.get("aria-label")):
            problems.append("button without text")
    return problems


def structure_problems(body):
    document = parse(body)
    problems = []
    if len(list(document.iter("h1"))) != 1:
        problems.append("not exactly one h1")
    mains = list(document.iter("main"))
    if len(mains) != 1:
        problems.append("not exactly one main")
    skip = [a for a in document.iter("a") if "skip-link" in (a.get("class") or "")]
    if not skip or not mains or skip[0].get("href") != f"#{mains[0].get('id')}":
        problems.append("no skip link to the main landmark")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = {value for value in ids if ids.count(value) > 1}
    if duplicates:
        problems.append(f"duplicate ids {sorted(duplicates)}")
    problems += label_problems(document)
    return problems


def form_values(response, action):
    """What a browser submits, unchanged, from the form posting to ``action``: inputs (checked
    boxes only), textareas and each select's selected option (its first when none is)."""
    form = next(
        f for f in parse(response.get_data(as_text=True)).iter("form") if f.get("action") == action
    )
    values = {}
    for control in form.iter("input"):
        kind = control.get("type", "text")
        if kind in ("checkbox", "radio") and control.get("checked") is None:
            continue
        if kind not in ("submit", "button", "image", "reset"):
            values[control.get("name")] = control.get("value", "")
    for control in form.iter("textarea"):
        # The parser drops the newline right after <textarea>, as a browser does.
        values[control.get("name")] = control.text or ""
    for control in form.iter("select"):
        options = list(control.iter("option"))
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        values[control.get("name")] = chosen[0].get("value", chosen[0].text) if chosen else ""
    return values
