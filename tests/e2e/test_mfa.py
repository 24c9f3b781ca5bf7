"""An administrator without two-factor authentication is made to set it up, then signs in with password and code;
a security key (Chromium's virtual one) signs in too."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions
from selenium.webdriver.support.ui import WebDriverWait

from lms.mfa import totp_code
from lms.roles import Role
from tests.conftest import worker_db
from tests.e2e.conftest import click_and_load, code_enter
from tests.e2e.test_accessibility import violations
from tests.factories import PASSWORD, UserFactory, totp_secret

pytestmark = [worker_db]


def submit(driver):
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def password_step(driver, base, email):
    driver.get(base + "/accounts/login/")
    driver.find_element(By.NAME, "login").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(driver)


def sign_out(driver, base):
    driver.get(base + "/")
    click_and_load(driver, driver.find_element(By.XPATH, "//nav//form[contains(@action, '/logout/')]//button"))


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def test_an_administrator_sets_up_an_authenticator_app_then_signs_in_with_its_code(browser, live_server, screenshots):
    administrator = UserFactory(role=Role.ADMINISTRATOR, authenticator=False)
    password_step(browser, live_server.url, administrator.email)
    # Signed in, but sent to set it up first, with the reason; adding it asks for the password once more.
    assert "/accounts/reauthenticate/" in browser.current_url
    assert "Administrators and focal points see other people's personal data" in main_text(browser)
    screenshots("sent-to-set-it-up")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(browser)
    assert browser.current_url.endswith("/accounts/2fa/totp/activate/")
    assert violations(browser) == []
    screenshots("authenticator-app")
    # What the app would do with the QR code: read the secret, show the code.
    secret = browser.find_element(By.ID, "authenticator_secret").get_attribute("value")
    browser.find_element(By.NAME, "code").send_keys(totp_code(secret))
    submit(browser)
    assert "Authenticator app activated." in main_text(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "main li code")) == 10  # the recovery codes
    screenshots("recovery-codes")
    browser.get(live_server.url + "/admin/")
    assert "Sinergia administration" in browser.find_element(By.TAG_NAME, "body").text
    sign_out(browser, live_server.url)

    password_step(browser, live_server.url, administrator.email)
    assert "/accounts/2fa/authenticate/" in browser.current_url
    assert violations(browser) == []
    screenshots("code-asked-at-sign-in")
    code_enter(browser, secret)
    assert browser.current_url == live_server.url + "/dashboard/"
    browser.get(live_server.url + "/admin/")
    assert "Sinergia administration" in browser.find_element(By.TAG_NAME, "body").text


def test_a_security_key_signs_in_instead_of_a_code(browser, live_server, screenshots):
    browser.add_virtual_authenticator(
        VirtualAuthenticatorOptions(is_user_consenting=True, is_user_verified=True, has_user_verification=True)
    )
    focal_point = UserFactory(role=Role.FOCAL_POINT)
    password_step(browser, live_server.url, focal_point.email)
    code_enter(browser, totp_secret(focal_point))
    browser.get(live_server.url + "/accounts/2fa/webauthn/add/")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(browser)
    screenshots("add-a-security-key")
    load_when_clicked(browser, "mfa_webauthn_add")
    assert "Security key added." in main_text(browser)
    sign_out(browser, live_server.url)

    password_step(browser, live_server.url, focal_point.email)
    load_when_clicked(browser, "mfa_webauthn_authenticate")
    assert browser.current_url == live_server.url + "/dashboard/"


def load_when_clicked(driver, button_id):
    """Click a button whose script talks to the security key, then posts: wait for the page it leads to."""
    old = driver.current_url
    click_and_load(driver, driver.find_element(By.ID, button_id))
    WebDriverWait(driver, 10).until(lambda d: d.current_url != old)
