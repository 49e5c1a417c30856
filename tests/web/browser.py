"""A real browser for the web pages' end-to-end tests (tests/web_*.sh).

Headless Chromium driven by Selenium through Debian's chromium-driver
(/usr/bin/chromedriver), started the way tests/verifier_page.sh starts
Chromium: no sandbox when root, no GPU, no background traffic, a fresh
profile each time. Checks print "ok   - ..." or "FAIL - ..." lines that the
calling script counts (tests/lib.sh's t_py).

    from browser import Browser, check
    b = Browser("http://127.0.0.1:8080")
    b.open("/masuk"); b.fill(name="budi", password="...").submit()
    check("signed in", b.h1() == "Beranda")
"""
import os
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

FAILED = 0


def check(desc, cond, detail=""):
    """One counted check."""
    global FAILED
    if cond:
        print("ok   - " + desc, flush=True)
    else:
        FAILED += 1
        print("FAIL - %s%s" % (desc, (": " + str(detail)[:300]) if detail else ""),
              flush=True)
    return cond


def _gone(el):
    """True once el's page has been replaced. Selenium's staleness_of
    lets chromedriver's "Node with given id does not belong to the
    document" through (a race seen under load): that is gone too."""
    try:
        el.is_enabled()
        return False
    except WebDriverException:
        return True


class Browser:
    def __init__(self, base, width=1280, height=900):
        self.base = base.rstrip("/")
        self.profile = tempfile.mkdtemp(prefix="terbit-chrome.")
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ("--headless", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--user-data-dir=" + self.profile,
                  "--window-size=%d,%d" % (width, height)):
            opts.add_argument(a)
        if os.geteuid() == 0:
            opts.add_argument("--no-sandbox")
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                                  options=opts)
        # Generous: make check runs this beside the sanitizer builds on two
        # shared cores, where a page can take seconds.
        self.d.set_page_load_timeout(90)

    def open(self, path):
        self.d.get(self.base + path)
        return self

    def fill(self, **fields):
        """Types into the inputs named by the keywords (cleared first)."""
        for name, value in fields.items():
            el = self.d.find_element(By.NAME, name)
            el.clear()
            el.send_keys(value)
        return self

    def submit(self, form_action=None):
        """Clicks the submit button of the page's main form (or of the
        form posting to form_action)."""
        sel = "main form button[type=submit]"
        if form_action:
            sel = "form[action='%s'] button[type=submit]" % form_action
        page = self.d.find_element(By.TAG_NAME, "html")
        self.d.find_element(By.CSS_SELECTOR, sel).click()
        # A click returns before the next page is in: wait for this one
        # to go, so what follows reads the answer, not the form.
        WebDriverWait(self.d, 90).until(lambda d: _gone(page))
        return self

    def path(self):
        url = self.d.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def h1(self):
        return self.d.find_element(By.TAG_NAME, "h1").text

    def text(self, css):
        els = self.d.find_elements(By.CSS_SELECTOR, css)
        return els[0].text if els else ""

    def body(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def cookie(self, name):
        c = self.d.get_cookie(name)
        return c["value"] if c else None

    def shot(self, path, width, height=None):
        """A screenshot of the whole page at this width."""
        self.d.set_window_size(width, height or 900)
        h = self.d.execute_script(
            "return document.documentElement.scrollHeight") if height is None else height
        self.d.set_window_size(width, max(int(h), 200))
        self.d.save_screenshot(path)

    def csp_refusals(self):
        """What the Content-Security-Policy refused on the pages so far
        (the browser's console; read once)."""
        try:
            log = self.d.get_log("browser")
        except Exception:
            return []
        return [e["message"] for e in log
                if "Content Security Policy" in e.get("message", "")
                or "Refused to" in e.get("message", "")]

    def close(self):
        try:
            self.d.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def done():
    sys.exit(1 if FAILED else 0)
