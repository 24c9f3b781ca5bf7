"""A real browser (Debian's chromium, headless, through selenium) against a live server."""

import shutil
import time
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from lms.demo import DEMO_PASSWORD
from lms.mfa import totp_code
from lms.models import User
from tests.conftest import service_unavailable
from tests.factories import totp_secret

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def browser(tmp_path):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        service_unavailable("Chromium and chromedriver are not installed (Debian packages chromium, chromium-driver)")
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1400", f"--user-data-dir={tmp_path / 'chromium'}", "--lang=en"]:  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


class Screenshots:
    """Saves a numbered screenshot of every step under test-artifacts/<journey>/."""

    def __init__(self, driver, journey):
        self.driver, self.folder, self.count = driver, ARTIFACTS / journey, 0
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, step):
        self.count += 1
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1280, min(max(height, 800), 4000))
        self.driver.save_screenshot(str(self.folder / f"{self.count:02d}-{step}.png"))


@pytest.fixture
def screenshots(browser, request):
    return Screenshots(browser, request.node.name)


def emulate(driver, width, height=900):
    """The viewport of a device `width` px wide (a phone's is a mobile one), whatever the window's size."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def detached(element):
    try:
        element.is_enabled()
    except WebDriverException:  # stale: its page was replaced
        return True
    return False


def load_after(driver, action):
    """Runs `action`, which leads to another page, and waits until that page has loaded.

    Read sooner, the old page answers, or goes stale in the middle of the reading.
    """
    page = driver.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(driver, 20).until(
        lambda d: detached(page) and d.execute_script("return document.readyState") == "complete"
    )


def click_and_load(driver, element):
    load_after(driver, element.click)


def sign_in(driver, base, email, password=DEMO_PASSWORD):
    driver.get(base + "/accounts/login/")
    driver.find_element(By.NAME, "login").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    code_step(driver, email)
    # Signed in, or the login page again with its error; a missing button says which.
    driver.find_element(By.XPATH, "//nav//form[contains(@action, '/logout/')]//button")


def code_step(driver, email):
    """When the sign-in asks for a two-factor code (the person has an authenticator app), enter it."""
    if "/2fa/authenticate/" in driver.current_url:
        code_enter(driver, totp_secret(User.objects.get(email=email)))


def code_enter(driver, secret, period=30):
    """The sign-in's second step: the code the authenticator app with `secret` shows.

    A code signs in once: the same person signing in again within its `period` seconds waits for the next one.
    """
    for attempt in range(2):
        if attempt:
            time.sleep(period - time.time() % period + 0.5)
        field = driver.find_element(By.NAME, "code")
        field.clear()
        field.send_keys(totp_code(secret))
        click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        if "/2fa/authenticate/" not in driver.current_url:
            return
