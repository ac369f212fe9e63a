"""The review page in a real headless Chromium: fix the seed's wrong bead by keyboard, reload, check store and export.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them and sets
``NPFTERM_REQUIRE_BROWSER=1``, so there a missing browser fails instead of skipping).
``NPFTERM_SCREENSHOTS=DIR`` saves the README's screenshots there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.review.server import create_app, loopback_socket, make_server, new_token, url
from npfterm.review.session import ReviewSession
from npfterm.store.db import Store
from review_docs import SEED_GOLD_HEAD, WRONG_SEED_BEAD, XSS, seed_store, small_store

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,860",
)


def _tools() -> tuple[str, str] | None:
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver") or (os.path.exists("/usr/lib/chromium/chromedriver") and "/usr/lib/chromium/chromedriver")
    return (browser, driver) if browser and driver else None  # type: ignore[return-value]


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    tools = _tools()
    if tools is None:
        if os.environ.get("NPFTERM_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        pytest.skip("chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # never let selenium look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = tools[0]
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(tools[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """The review server on a free loopback port in a thread; its address with the token."""
    token = new_token()
    sock = loopback_socket()
    session = ReviewSession(db)
    server = make_server(create_app(session, token))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield url(sock, token)
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()
        session.close()


def settled(driver) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page has loaded and every key sent so far has been saved."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1' && document.body.dataset.pending === '0'")
    )


def press(driver, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()
    settled(driver)


def rows(driver) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    """The beads as the page shows them: sentence indices per row."""
    script = """
      return [...document.querySelectorAll('#beads tbody tr')].map((tr) => ['zh', 'en'].map(
        (lang) => [...tr.querySelectorAll(`.sent[data-lang=${lang}]`)].map((s) => Number(s.dataset.index))));
    """
    return [(tuple(zh), tuple(en)) for zh, en in driver.execute_script(script)]


def screenshot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("NPFTERM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / name))


def test_a_user_fixes_the_seeds_wrong_bead_in_at_most_ten_keystrokes(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    db = tmp_path / "s.db"
    doc = seed_store(db, tmp_path)
    with Store.open(db) as store:
        en = [s.text for s in store.load_document(doc).en]
        zh = [s.text for s in store.load_document(doc).zh]
    with serving(db) as address:
        browser.get(address)
        settled(browser)
        assert rows(browser)[0] == WRONG_SEED_BEAD
        # the page opens on the first bead to check, on its Chinese sentence
        assert browser.execute_script("return document.querySelector('.sent.cursor').dataset.index") == "0"
        screenshot(browser, "review-page.png")
        keys = [Keys.ARROW_RIGHT, "u", "u", "u", Keys.ARROW_DOWN, "u"]
        assert len(keys) <= 10
        press(browser, keys)
        assert rows(browser)[:6] == [*SEED_GOLD_HEAD, ((1,), (5,))]
        browser.execute_script("window.scrollTo(0, 0)")
        screenshot(browser, "review-page-fixed.png")
        browser.refresh()
        settled(browser)
        assert rows(browser)[:5] == SEED_GOLD_HEAD
    with Store.open(db) as store:
        beads = store.load_document(doc).beads
    assert [(b.zh, b.en) for b in beads[:5]] == SEED_GOLD_HEAD
    assert {b.evidence for b in beads[:5]} == {"reviewed"}
    out = tmp_path / "tm.tmx"
    result = CliRunner().invoke(app, ["export", "tm", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    units = [
        tuple("".join(seg.itertext()) for seg in tu.iter("seg")) for tu in ET.parse(out).getroot().iter("tu")
    ]
    assert (zh[0], en[3]) in units
    assert not any(en[j] in unit_en for _, unit_en in units for j in (0, 1, 2, 4))


def test_markup_in_a_sentence_shows_as_text_and_a_sentence_is_cut_by_keyboard(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.keys import Keys

    db = tmp_path / "s.db"
    small_store(db)
    with serving(db) as address:
        browser.get(address)
        settled(browser)
        shown = browser.execute_script("return document.querySelector('.sent[data-lang=en][data-index=\"0\"]').textContent")
        assert shown == XSS
        assert browser.execute_script("return document.querySelectorAll('#beads script').length") == 0
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
        # cut "Sci-tech innovation is the core element." after "Sci-tech innovation": t, Home, 19 × →, Enter
        press(browser, [Keys.ARROW_RIGHT, Keys.ARROW_DOWN, "t", Keys.HOME, *[Keys.ARROW_RIGHT] * 19, Keys.ENTER])
    with Store.open(db) as store:
        texts = [s.text for s in store.load_document(1).en]
    assert texts == [XSS, "Sci-tech innovation", "is the core element.", "Develop carbon neutrality industries."]


def test_a_page_without_the_token_is_refused(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "s.db"
    small_store(db)
    with serving(db) as address:
        browser.get(address.split("?")[0])
        assert "Forbidden" in browser.find_element("tag name", "body").text


def test_the_html_report_renders_offline(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    from review_docs import seed_files

    zh, en = seed_files(tmp_path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["align", str(zh), str(en), "--sentences", "--no-store", "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    browser.get(out.as_uri())
    size = browser.execute_script("const r = document.querySelector('svg').getBoundingClientRect(); return [r.width, r.height]")
    assert size[0] >= 700 and size[1] >= 160
    loaded = browser.execute_script("return [...document.images].length + document.querySelectorAll('svg image').length")
    assert loaded == 1
    assert browser.execute_script("return performance.getEntriesByType('resource').filter(e => !e.name.startsWith('data:')).length") == 0
    screenshot(browser, "report.png")


def test_every_edit_by_keyboard_and_by_mouse(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    db = tmp_path / "s.db"
    small_store(db)  # [0]:[0,1] 0.45, [1]:[2] 0.92
    with serving(db) as address:
        browser.get(address)
        settled(browser)
        press(browser, ["m"])  # merge with the next bead
        assert rows(browser) == [((0, 1), (0, 1, 2))]
        press(browser, ["z"])
        assert rows(browser) == [((0,), (0, 1)), ((1,), (2,))]
        press(browser, ["y"])
        assert rows(browser) == [((0, 1), (0, 1, 2))]
        press(browser, ["s"])  # split after the first Chinese sentence: 1 zh with 2 of the 3 en sentences
        assert rows(browser) == [((0,), (0, 1)), ((1,), (2,))]
        press(browser, [Keys.ARROW_RIGHT, "u"])  # en 0 out; the cursor goes on to en 1
        assert rows(browser) == [((), (0,)), ((0,), (1,)), ((1,), (2,))]
        press(browser, ["]"])
        assert rows(browser) == [((), (0,)), ((0,), ()), ((1,), (1, 2))]
        press(browser, ["["])
        assert rows(browser) == [((), (0,)), ((0,), (1,)), ((1,), (2,))]
        # the mouse: click a sentence, then the buttons
        browser.find_element("css selector", '.sent[data-lang="zh"][data-index="1"]').click()
        browser.find_element("css selector", 'button[data-action="mergePrev"]').click()
        settled(browser)
        assert rows(browser) == [((), (0,)), ((0, 1), (1, 2))]
        browser.find_element("css selector", 'button[data-action="undo"]').click()
        browser.find_element("css selector", 'button[data-action="reviewed"]').click()
        settled(browser)
        assert rows(browser) == [((), (0,)), ((0,), (1,)), ((1,), (2,))]
        assert "reviewed" in browser.find_element("id", "docstatus").text
    with Store.open(db) as store:
        doc = store.load_document(1)
    assert [(b.zh, b.en, b.evidence) for b in doc.beads] == [
        ((), (0,), "reviewed"), ((0,), (1,), "reviewed"), ((1,), (2,), "reviewed"),
    ]
    assert doc.settings["review"]["status"] == "reviewed"  # type: ignore[index]
