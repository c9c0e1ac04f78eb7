"""A real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against live_server.

Playwright's own browser download does not work on our machines, so the
executable is given explicitly. A missing browser fails the run; it is never
skipped, so CI cannot pass without the browser tests having run.
"""

import os
import shutil

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in this thread; the test code's ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("EVERYDESK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(live_server):
    # Asking for the live server makes the browser close first: its keep-alive
    # connections end before the server's request threads lose the database.
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:  # keep a picture of what the browser saw
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _fresh_login_limits(db):
    """Every test signs in from 127.0.0.1: the staff login limit (in the cache) must
    start afresh, or the later tests of a run are refused as a flood."""
    cache.clear()


@pytest.fixture
def sign_in_staff():
    """Sign a staff member in through the real login form of the given page."""

    def sign_in(page, user) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", user.email)
        page.fill("#id_password", "correct horse")
        page.click("button.primary")
        page.wait_for_url("**/desk/**")

    return sign_in
