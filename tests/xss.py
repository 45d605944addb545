"""The XSS payload list and a check of HTML for anything that could run script."""

import json
import re
from pathlib import Path

import html5lib

PAYLOAD_FILE = Path(__file__).parent / "fixtures" / "xss_payloads.txt"
SAFE_SCHEMES = {"http", "https", "mailto"}
# Attributes whose value a browser loads or navigates to.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "srcset", "poster", "background", "data", "codebase",
    "cite", "longdesc", "usemap", "dynsrc", "lowsrc", "ping", "manifest", "icon", "classid",
    "archive", "code", "profile", "xlink:href", "imagesrcset",
}  # fmt: skip
# Elements that load or run something whatever their attributes say.
ACTIVE_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "bgsound",
    "layer", "ilayer", "import",
}  # fmt: skip
DANGEROUS_STYLE = re.compile(
    r"expression|javascript|vbscript|behavior|binding|@import|url\s*\(", re.IGNORECASE
)
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s]|[^\x00-\x7f]")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def load_payloads(path=PAYLOAD_FILE):
    payloads = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line == "#" or line.startswith("# "):
            continue
        payloads.append(json.loads(line[5:]) if line.startswith("json:") else line)
    return payloads


def url_scheme(url):
    """The scheme a browser would read in ``url``, an attribute value as parsed (entities
    already decoded), or None for a relative URL. Non-ASCII characters and whitespace anywhere
    are dropped first, which is stricter than any browser."""
    match = SCHEME.match(URL_NOISE.sub("", url).lower())
    return match and match.group(1)


def _urls(name, value):
    if name in ("srcset", "imagesrcset"):
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    return [value]


def local_name(name):
    """``{http://www.w3.org/1999/xlink}href`` → ``xlink:href``; other names lowercased."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.split("}", 1)[1]
    return name.split("}", 1)[-1].lower()


def script_problems(markup, fragment=True, allowed_script=None):
    """What in ``markup`` could run script or load something a user chose, as messages
    (empty when it is safe). Parsed with html5lib, as a browser would."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(markup, treebuilder="etree")
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = local_name(element.tag)
        attributes = {local_name(name): value for name, value in element.attrib.items()}
        if tag == "script" and not (allowed_script and allowed_script(element, attributes)):
            problems.append(f"<script {attributes}>")
        if tag in ACTIVE_ELEMENTS:
            problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            problems.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        if tag == "style" and DANGEROUS_STYLE.search("".join(element.itertext())):
            problems.append("<style> loading or running something")
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
            if name == "style" and DANGEROUS_STYLE.search(value):
                problems.append(f"<{tag} style={value!r}>")
            if name in URL_ATTRIBUTES:
                for url in _urls(name, value):
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        problems.append(f"<{tag} {name}={value!r}>")
    return problems
