"""A real browser (Debian's chromium, headless, through selenium) against a live server."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import service_unavailable

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
