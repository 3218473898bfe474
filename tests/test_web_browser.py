"""End-to-end: start `python app.py` on 127.0.0.1 and drive it in headless Chromium (Selenium).

Uses Debian's chromium and chromium-driver (no browser download). The demo test runs the real
`fast` config (MiniLM embeddings, the packaged LLM scoring spin); the others run `fast` without spin
scoring (tests/data/web_nospin.toml), which loads no language model, to keep CI time down.
Screenshots go to $SUMMARISE_SCREENSHOTS (docs/ when refreshing the README's picture), else to a
temporary folder.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.models]

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "data" / "web_nospin.toml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# flags without which Chromium's own background connections are refused on a closed network
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
BRIEFING_WAIT_S = 600  # first run loads MiniLM; the machine may be busy
STORY = ("The harbour bridge in Northport reopened to traffic on Monday after eight months of repairs, "
         "the city transport office said. Engineers replaced the corroded steel cables and resurfaced the "
         "main deck at a cost of 41 million dollars. Commuters had faced detours of up to forty minutes "
         "while the bridge was closed, and local shops reported fewer customers during the works.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (./setup.sh --test installs them)")
    port = free_port()
    log_path = tmp_path_factory.mktemp("app") / "app.log"
    env = {k: v for k, v in os.environ.items() if k not in ("SUMMARISE_HOST", "SUMMARISE_PORT")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--config", "fast", "--config", str(CONFIG),
                                    "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_server(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_server(url: str, process: subprocess.Popen, log_path: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"app.py exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"app.py did not answer within {timeout} s:\n{log_path.read_text()}")


def new_browser(tmp_path: Path, name: str = "browser"):
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / f'{name}-profile'}")
    options.add_argument("--window-size=1280,1400")
    downloads = tmp_path / f"{name}-downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    return driver


@pytest.fixture
def browser(tmp_path):
    driver = new_browser(tmp_path)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SUMMARISE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(driver, url: str, config: str = str(CONFIG)) -> None:
    """Load the page and pick a config: the test one unless a test asks for the real `fast`."""
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "run-button"))
    radio = WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f"#config input[type=radio][value='{config}']"))
    radio.click()
    assert radio.is_selected()


def wait_for_result(driver, selector: str = "#briefing .sb-briefing, #briefing .sb-notice"):
    try:
        WebDriverWait(driver, BRIEFING_WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
    except TimeoutException:
        pytest.fail(f"no result in the page:\n{driver.find_element(By.TAG_NAME, 'body').text[:3000]}")
    return driver.find_element(By.ID, "briefing")


def upload(driver, *paths: Path) -> None:
    field = WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#upload input[type=file]"))  # rendered after the page
    field.send_keys("\n".join(str(p) for p in paths))


def uploaded_names(driver) -> list[str]:
    return [cell.get_attribute("aria-label") for cell in driver.find_elements(By.CSS_SELECTOR, "#upload td.filename")]


def pwned(driver):
    return driver.execute_script("return window.__pwned === undefined ? null : String(window.__pwned);")


def download_json(driver) -> dict:
    driver.find_element(By.ID, "download-json").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = [p for p in driver.downloads.glob("*.json")]
        if done:
            return json.loads(done[0].read_text(encoding="utf-8"))
        time.sleep(0.3)
    pytest.fail("the JSON download did not arrive")


# -- the demo: a cited briefing, citations that open on their source sentence -------------------

def test_demo_articles_give_a_briefing_whose_citations_reveal_their_sources(app_url, browser, screenshots):
    open_page(browser, app_url, "fast")  # what a visitor gets: the real `fast` config, spin scoring included
    browser.find_element(By.ID, "demo-button").click()
    briefing = wait_for_result(browser, "#briefing .sb-event")

    sentences = briefing.find_elements(By.CSS_SELECTOR, "li.sb-sentence")
    assert len(sentences) >= 3
    for sentence in sentences:
        markers = sentence.find_elements(By.CSS_SELECTOR, "details.sb-cite > summary")
        assert markers, f"no citation on: {sentence.text}"
        assert all(m.text.strip().isdigit() and m.is_displayed() for m in markers)

    data = download_json(browser)
    first = data["events"][0]["sentences"][0]
    assert sentences[0].find_element(By.CSS_SELECTOR, ".sb-text").text == first["text"]

    cite = sentences[0].find_element(By.CSS_SELECTOR, "details.sb-cite")
    panel = cite.find_element(By.CSS_SELECTOR, ".sb-cite-panel")
    assert not panel.is_displayed()
    marker = cite.find_element(By.TAG_NAME, "summary")
    assert first["citations"][0]["evidence"] in marker.get_attribute("title")  # shown on hover
    marker.click()
    WebDriverWait(browser, 10).until(lambda d: panel.is_displayed())
    evidence = panel.find_element(By.CSS_SELECTOR, ".sb-context mark.sb-evidence")
    assert evidence.is_displayed()
    assert evidence.text == first["citations"][0]["evidence"]
    assert evidence.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"  # highlighted
    source_text = next(a["text"] for a in data["articles"] if a["id"] == first["citations"][0]["article_id"])
    assert evidence.text in source_text
    browser.save_screenshot(str(screenshots / "web-demo.png"))

    # the whole article, with the cited sentence highlighted in place
    cite.find_element(By.CSS_SELECTOR, "details.sb-whole > summary").click()
    whole = cite.find_element(By.CSS_SELECTOR, ".sb-article-text")
    WebDriverWait(browser, 10).until(lambda d: whole.is_displayed())
    assert whole.text.strip() == source_text.strip()
    assert whole.find_element(By.TAG_NAME, "mark").text == evidence.text

    # which article went to which event
    listed = briefing.find_elements(By.CSS_SELECTOR, ".sb-event li.sb-source")
    assert {li.get_attribute("data-article") for li in listed} == {a["id"] for a in data["articles"]}
    assert "seeds/000_c92f36bf99a8c2f1.txt" in briefing.text
    spun = [a["id"] for a in data["articles"] if a["spun"]]
    badges = briefing.find_elements(By.XPATH, ".//li[.//span[contains(., 'machine-rewritten copy')]]")
    assert sorted(li.get_attribute("data-article") for li in badges) == sorted(spun)


def test_narrow_screen_has_no_sideways_scrolling(app_url, browser, screenshots):
    browser.set_window_size(390, 1400)
    open_page(browser, app_url)
    browser.find_element(By.ID, "demo-button").click()
    briefing = wait_for_result(browser, "#briefing .sb-event")
    briefing.find_element(By.CSS_SELECTOR, "details.sb-cite > summary").click()
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth;")
    assert overflow <= 0
    browser.execute_script("arguments[0].scrollIntoView()", briefing)
    browser.save_screenshot(str(screenshots / "web-demo-narrow.png"))


# -- untrusted content ---------------------------------------------------------------------

def test_markup_in_an_uploaded_article_is_shown_as_text_and_never_runs(app_url, browser, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Title: <script>window.__pwned = 'title'</script> Harbour bridge reopens\n\n"
        f"{STORY} A sign at the entrance read <img src=x onerror=\"window.__pwned = 'img'\"> in large letters. "
        "Officials said the bridge <b>would stay open</b> through the winter.\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>Bridge</title><script>window.__pwned = 'html'</script></head>"
                    f"<body><article><p>{STORY}</p><p onclick=\"window.__pwned='click'\">Traffic was light.</p>"
                    f"</article></body></html>", encoding="utf-8")
    open_page(browser, app_url)
    upload(browser, hostile, page)
    WebDriverWait(browser, 30).until(lambda d: "page.html" in uploaded_names(d))
    browser.find_element(By.ID, "run-button").click()
    briefing = wait_for_result(browser, "#briefing .sb-event")

    for details in briefing.find_elements(By.CSS_SELECTOR, "details.sb-whole > summary"):
        browser.execute_script("arguments[0].click()", details)  # open every article view
    text = briefing.text
    assert "<script>window.__pwned = 'title'</script> Harbour bridge reopens" in text
    assert "<img src=x onerror=\"window.__pwned = 'img'\">" in text
    assert "<b>would stay open</b>" in text
    for selector in ("script", "img", "[onerror]", "[onclick]"):
        assert not briefing.find_elements(By.CSS_SELECTOR, f".sb-briefing {selector}"), selector
    assert not briefing.find_elements(By.XPATH, ".//b[normalize-space()='would stay open']")
    assert pwned(browser) is None
    shown = [e for e in briefing.find_elements(By.CSS_SELECTOR, ".sb-article-text") if e.is_displayed()]
    assert shown
    for element in shown:
        element.click()
    assert pwned(browser) is None


# -- bad input: clear messages, and the app keeps serving ---------------------------------------

def test_nothing_given_says_what_to_do(app_url, browser):
    open_page(browser, app_url)
    browser.find_element(By.ID, "run-button").click()
    briefing = wait_for_result(browser, "#briefing .sb-notice")
    assert "Nothing to summarise" in briefing.text
    assert "Up to 50 articles per briefing" in browser.find_element(By.TAG_NAME, "body").text  # limits stated


def test_unreadable_inputs_are_listed_with_their_reasons(app_url, browser, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 400)
    open_page(browser, app_url)
    upload(browser, binary)
    WebDriverWait(browser, 30).until(lambda d: "photo.txt" in uploaded_names(d))
    browser.find_element(By.ID, "paste").find_element(By.TAG_NAME, "textarea").send_keys("Too short to use.")
    browser.find_element(By.ID, "urls").find_element(By.TAG_NAME, "textarea").send_keys(
        "https://unreachable.invalid/story")
    browser.find_element(By.ID, "run-button").click()
    briefing = wait_for_result(browser)
    rows = {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[1].text
            for row in briefing.find_elements(By.CSS_SELECTOR, ".sb-rejected tbody tr")}
    assert rows == {
        "photo.txt": "binary file, not text",
        "pasted text 1": "too little text after cleaning (4 words; at least 40 needed)",
        "https://unreachable.invalid/story": "could not find the host 'unreachable.invalid'",
    }
    assert "No article could be read" in briefing.text


def test_a_50_mb_upload_is_refused_in_the_page(app_url, browser, tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as out:
        out.truncate(50_000_000)  # sparse: 50 MB without writing 50 MB
    open_page(browser, app_url)
    upload(browser, big)
    WebDriverWait(browser, 30).until(
        lambda d: "exceed the maximum allowed size of 5.0 Mb" in d.find_element(By.TAG_NAME, "body").text)


def test_300_articles_at_once_use_the_first_50_and_say_so_while_another_user_is_served(app_url, tmp_path):
    records = tmp_path / "wire.jsonl"
    records.write_text("".join(
        json.dumps({"title": f"Bridge story {n}", "source": f"Outlet {n % 7}",
                    "text": f"Report number {n} from the city desk. {STORY}"}) + "\n" for n in range(300)))
    first, second = new_browser(tmp_path, "first"), new_browser(tmp_path, "second")
    try:
        open_page(first, app_url)
        open_page(second, app_url)
        upload(first, records)
        WebDriverWait(first, 30).until(lambda d: "wire.jsonl" in uploaded_names(d))
        first.find_element(By.ID, "run-button").click()
        second.find_element(By.ID, "demo-button").click()  # queued behind the first, then served
        big_briefing = wait_for_result(first, "#briefing .sb-event")
        assert "250 articles over the limit of 50 per briefing were left out" in big_briefing.text
        assert "50 articles" in big_briefing.find_element(By.CSS_SELECTOR, ".sb-summary").text
        assert "wire.jsonl:300" in big_briefing.text
        demo = wait_for_result(second, "#briefing .sb-event")
        assert demo.find_elements(By.CSS_SELECTOR, "details.sb-cite")
    finally:
        first.quit()
        second.quit()
