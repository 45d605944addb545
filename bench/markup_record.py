"""A pytest plugin that records every text forum.markup.render is given during a test run, for
bench/markup_bench.py --check (the texts the tests use, through the routes too):

    PYTHONPATH=bench .venv/bin/pytest -q -p markup_record tests/test_markup.py \
        tests/test_xss_pages.py tests/test_hostile_text.py

writes bench/out/markup_recorded.json (a list of distinct texts, in first-seen order).
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "markup_recorded.json"
_seen = {}


def pytest_configure(config):
    from forum import markup

    render = markup.render

    def recording_render(source):
        _seen.setdefault(source, None)
        return render(source)

    markup.render = recording_render


def pytest_unconfigure(config):
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps([text for text in _seen if isinstance(text, str)]))
