"""Real-browser journeys: Playwright drives Debian's chromium against a live server."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from tests.mail.conftest import Inbox, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)

if not os.path.exists(CHROMIUM):
    pytest.skip(
        "browser journeys need Debian's chromium (apt-get install chromium); .ci/run installs it",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The forum with demo data (indexed for search) and real CSRF."""
    folder = tmp_path_factory.mktemp("live")

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'live.db'}"
        SEARCH_INDEX_DIR = str(folder / "index")
        WTF_CSRF_ENABLED = True

    app = create_app(Config)
    with app.app_context():
        from forum.demo import seed
        from forum.outbox import drain
        from forum.spam.corpus import seed as seed_classifier

        db.create_all()
        seed()
        seed_classifier()
        drain()  # the seed ran outside a request: index it now, as `flask seed-demo` users would
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """The live app served on a free loopback port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Visitor:
    """One browser context: visits pages, checks each with axe, saves screenshots."""

    def __init__(self, browser, base_url, folder, color_scheme="light", javascript=True):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            color_scheme=color_scheme,
            java_script_enabled=javascript,
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.folder = folder
        self.axe = axe_module.Axe()

    def goto(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def check(self, name):
        """Assert one h1 and one main landmark, no serious or critical axe violations and no
        horizontal scrolling at 390 px and 1280 px; save full-page screenshots at both."""
        page = self.page
        page.wait_for_load_state()  # journeys wait for what scripts add with expect() first
        assert page.locator("h1").count() == 1, f"{name} has not exactly one h1"
        assert page.locator("main").count() == 1, f"{name} has not exactly one main landmark"
        results = self.axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {[n['html'][:120] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not serious, f"axe on {name} ({page.url}): {serious}"
        self.folder.mkdir(parents=True, exist_ok=True)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{name} scrolls horizontally at {width} px"
            page.screenshot(path=str(self.folder / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    def close(self):
        self.context.close()


@pytest.fixture
def visitors(browser, live_server, request):
    """A factory of visitors, each in its own browser context (its own cookies), for journeys
    with more than one person. Screenshots go to test-artifacts/screenshots/<test>/<role>/."""
    people = []

    def make(role="visitor", color_scheme="light", javascript=True):
        folder = ARTIFACTS / request.node.name.removeprefix("test_") / role
        person = Visitor(browser, live_server, folder, color_scheme, javascript)
        people.append(person)
        return person

    yield make
    for person in people:
        person.close()


@pytest.fixture
def visitor(visitors):
    return visitors()


@pytest.fixture
def mailbox(live_app, live_server):
    """An SMTP server that keeps what it receives, with the live forum mailing to it and
    making links to the live server; the settings are put back afterwards."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_TIMEOUT": 2.0,
        "MAIL_SENDER": "community@forum.test",
        "SITE_URL": live_server,
    }
    saved = {name: live_app.config[name] for name in settings}
    live_app.config.update(settings)
    yield inbox
    live_app.config.update(saved)
    controller.stop()
