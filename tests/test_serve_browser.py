"""kg serve in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
every page loads with no console error, the query page runs a bundled query and shows rows,
the entity page's graph and the map render. Screenshots are saved under build/test-artefacts/
(the README shows two of them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.serve import LOOPBACK_HOSTS, create_app
from serve_support import make_store, running

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ARTEFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artefacts"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMEDRIVER).exists(), reason="chromium-driver is not installed (apt-get install chromium chromium-driver)"),
]
PAGES = {
    "home": "/",
    "search": "/search?q=korea",
    "entity": "/entity/Q423",
    "article": "/article/t1",
    "hostile-article": "/article/x%3Cscript%3E",
    "articles": "/articles",
    "timeline": "/timeline",
    "troops": "/troops",
    "map": "/map",
    "query": "/query?name=troop-numbers",
}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("browser") / "store")
    with running(create_app(store.settings, store=store, allowed_hosts=LOOPBACK_HOSTS)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def console_problems(driver) -> list[str]:
    """Console errors and warnings (a CSP violation is one), since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def screenshot(driver, name: str) -> Path:
    """The whole page as a PNG artefact."""
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 2400)")
    driver.set_window_size(1280, max(700, height))
    path = ARTEFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


@pytest.mark.parametrize("name", PAGES)
def test_each_page_loads_with_no_console_error(browser, url, name: str) -> None:
    console_problems(browser)
    browser.get(url + PAGES[name])
    assert browser.find_element(By.CSS_SELECTOR, "header.top").is_displayed()
    assert browser.execute_script("return document.querySelectorAll('link[rel=stylesheet]')[0].sheet.cssRules.length") > 10
    assert console_problems(browser) == []
    assert screenshot(browser, name).stat().st_size > 5000


def test_hostile_article_text_runs_no_script(browser, url) -> None:
    browser.get(url + "/article/x%3Cscript%3E")
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0
    assert "</textarea><script>alert(1)</script>" in browser.find_element(By.ID, "text").text
    assert console_problems(browser) == []


def test_the_query_page_runs_a_bundled_query_and_shows_rows(browser, url) -> None:
    browser.get(url + "/query?name=troop-numbers")
    browser.find_element(By.ID, "run-bundled").click()
    rows = WebDriverWait(browser, 20).until(
        EC.presence_of_all_elements_located((By.CSS_SELECTOR, "#results tbody tr")))
    assert len(rows) == 2
    assert "North Korea" in rows[0].text
    assert console_problems(browser) == []
    screenshot(browser, "query-results")


def test_the_editor_is_yasqe_and_runs_its_query_with_ctrl_enter(browser, url) -> None:
    browser.get(url + "/query?name=roles")
    editor = browser.find_element(By.CSS_SELECTOR, ".yasqe .CodeMirror")
    assert editor.is_displayed() and not browser.find_element(By.ID, "editor").is_displayed()
    assert "PREFIX kg:" in browser.execute_script("return window.kgEditor.getValue()"), "the file as it is"
    assert browser.find_elements(By.CSS_SELECTOR, ".yasqe .cm-keyword"), "the query is highlighted"
    browser.execute_script("window.kgEditor.setValue('SELECT DISTINCT ?state WHERE { ?state a kg:State } ORDER BY ?state')")
    ActionChains(browser).click(editor).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    rows = WebDriverWait(browser, 20).until(
        EC.presence_of_all_elements_located((By.CSS_SELECTOR, "#results tbody tr")))
    assert len(rows) == 3
    assert console_problems(browser) == []


def test_the_entity_graph_renders_and_clicks_through(browser, url) -> None:
    browser.get(url + "/entity/Q423")
    graph = browser.find_element(By.ID, "graph")
    box = graph.rect
    assert box["width"] > 300 and box["height"] > 200
    circles = graph.find_elements(By.CSS_SELECTOR, "circle")
    assert len(circles) >= 4 and all(c.rect["width"] > 5 for c in circles)
    colour = browser.execute_script("return getComputedStyle(arguments[0]).fill", circles[0])
    assert colour not in ("", "none", "rgb(0, 0, 0)"), "classes colour the nodes"
    screenshot(browser, "entity")
    browser.find_element(By.CSS_SELECTOR, '#graph a[href="/entity/Q159"]').click()
    WebDriverWait(browser, 10).until(EC.url_contains("/entity/Q159"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Russia")
    assert console_problems(browser) == []


def test_the_map_renders_outlines_and_places(browser, url) -> None:
    browser.get(url + "/map")
    drawn = browser.find_element(By.ID, "map")
    assert drawn.rect["width"] > 500
    outlines = browser.execute_script("return document.querySelectorAll('#map .countries path').length")
    assert outlines > 150
    place = browser.find_element(By.CSS_SELECTOR, "#map .places circle")
    assert place.rect["width"] > 2
    assert console_problems(browser) == []
    screenshot(browser, "map")


def test_the_timeline_chart_renders(browser, url) -> None:
    browser.get(url + "/timeline")
    bars = browser.find_elements(By.CSS_SELECTOR, "#timeline-chart rect")
    assert len(bars) >= 3 and all(bar.rect["height"] > 0 for bar in bars)
    assert console_problems(browser) == []
    screenshot(browser, "timeline")
