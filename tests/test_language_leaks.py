"""Romanian and Russian users meet no English: every page of every role, and every email, in ro and in ru.

A text leaks when it shows, whole, a msgid of the catalog Django loads for the language (the project's, allauth's
and Django's, merged) whose translation differs from it. The pages are those of the permission matrix
(tests/test_permissions.py), seen by one person of each role, plus allauth's pages and the pages a POST leads to
(where its message is shown); the emails are sent by the code that sends them.
"""

import functools
import io
import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language_info, trans_real
from pypdf import PdfReader

from certificates.services import certificate_deliver, certificate_issue
from courses.models import AgendaItem, Course, Enrollment, Facilitator, Programme
from courses.notifications import SUBJECTS, enrollment_notify
from lms.models import Institution, OutgoingEmail, Region, User
from tests.factories import PASSWORD
from tests.scenario import ADMINISTRATOR, ANONYMOUS, FOCAL_POINT, PARTICIPANT, TRAINER, scenario_build
from tests.test_permissions import EXPECTED, checks

pytestmark = pytest.mark.django_db

LANGUAGES = ["ro", "ru"]
# One person of each role: the others of a role see the same texts.
ROLES = (ANONYMOUS, PARTICIPANT, TRAINER, FOCAL_POINT, ADMINISTRATOR)
# Attributes people read (or hear from a screen reader).
READABLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}
HIDDEN_TAGS = {"script", "style"}
# Selects whose options are identifiers, not prose: IANA time zones ("America/Swift_Current") are the same names in
# every language.
IDENTIFIER_SELECTS = {"time_zone"}
# A printf placeholder ("%(event)s", "%d"), shown as whatever it is filled with.
# Addresses are no words people read ("/events/1/").
URL = re.compile(r"\w+://\S+|(?<!\w)/[\w./-]*")
# The texts of a calendar file people read; the rest are keys and codes (a folded line goes on after a space).
CALENDAR_TEXT = re.compile(r"^(?:SUMMARY|DESCRIPTION|LOCATION|X-WR-CALNAME|X-WR-CALDESC)[^:]*:(.*(?:\r?\n .*)*)", re.M)
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


class VisibleText(HTMLParser):
    """The texts of a page people see: text outside <script> and <style>, button labels and readable attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.hidden, self.open = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.open.append((tag, tag in HIDDEN_TAGS or (tag == "select" and attrs.get("name") in IDENTIFIER_SELECTS)))
        self.hidden += self.open[-1][1]
        if self.hidden:
            return
        self.texts += [attrs[name] for name in READABLE_ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in BUTTON_INPUTS and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Closes the innermost element of that name (void elements and unclosed <p>/<li> were never pushed twice).
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                self.hidden -= sum(hidden for _tag, hidden in self.open[index:])
                del self.open[index:]
                return

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(text.split()) for text in parser.texts)


@functools.cache
def untranslated_patterns(language):
    """[(msgid, the literal part it cannot show without, its pattern)] of every msgid the language translates."""
    catalog = trans_real.translation(language)._catalog
    keys = list(catalog.keys())  # noqa: SIM118 (a TranslationCatalog is no dict)
    # A msgid that is also a translation (but for its final colon or stop) is the language's own text: Romanian
    # "Certificate" (certificates), "%(num)d minute" (minutes), "Date:" (dates, "Dates" followed by a colon).
    translations = {" ".join(catalog[key].split()).rstrip(":.") for key in keys}
    # The language menus name each language in itself ("English" on a Romanian page).
    translations |= {get_language_info(code)["name_local"] for code in trans_real.get_languages()}
    patterns = {}
    for key in keys:
        # Plural entries are keyed (msgid, form); a context is written "context\x04msgid".
        msgid = (key[0] if isinstance(key, tuple) else key).rpartition("\x04")[2]
        msgid = " ".join(msgid.split())
        if msgid in patterns or not msgid or msgid.rstrip(":.") in translations:
            continue
        text = msgid.replace("%%", "%")
        # A lone letter (a printed attendance mark) is as much any language's: the "E" of Romanian "E-mail".
        if len(text) == 1:
            continue
        literals = PLACEHOLDER.split(text)
        # A msgid that is all placeholders and punctuation ("%(name)s:") says nothing in any language; one letter
        # does ("%(hours)s h", "ч" in Russian).
        if not any(re.search(r"[^\W\d_]", part) for part in literals):
            continue
        # A number placeholder shows digits ("%(year)d Q%(quarter)d" is "2026 Q1", not any text around a "Q").
        fillers = [r"\d+" if found.endswith("d") else ".+?" for found in PLACEHOLDER.findall(text)]
        body = re.escape(literals[0]) + "".join(
            filler + re.escape(part) for filler, part in zip(fillers, literals[1:], strict=True)
        )
        before = r"(?<!\w)" if re.match(r"\w", msgid) else ""
        after = r"(?!\w)" if re.search(r"\w$", msgid) else ""
        patterns[msgid] = (max(literals, key=len), re.compile(before + body + after))
    return [(msgid, literal, pattern) for msgid, (literal, pattern) in patterns.items()]


def leaks(text, language):
    text = URL.sub(" ", text)
    return sorted(
        msgid for msgid, literal, pattern in untranslated_patterns(language) if literal in text and pattern.search(text)
    )


def response_text(response):
    kind = response.get("Content-Type", "").split(";")[0]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "text/html":
        return visible_text(content.decode())
    if kind == "text/calendar":
        return "\n".join(re.sub(r"\r?\n ", "", text) for text in CALENDAR_TEXT.findall(content.decode()))
    if kind.startswith("text/"):
        return content.decode()
    if kind == "application/pdf":
        return "\n".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    return ""  # spreadsheets and archives


@pytest.fixture
def scenario(settings, tmp_path, language):
    """The permission matrix's scenario, its people preferring `language` and its names translated.

    The factories' English placeholder names ("Course 1", "Session 2") are msgids themselves.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    scenario = scenario_build()
    for user in scenario.users.values():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    # Texts about a person take their grammatical gender: a certificate's holder and its trainer's signature.
    User.objects.filter(pk=scenario.users[PARTICIPANT].pk).update(sex=User.Sex.FEMALE)
    User.objects.filter(pk=scenario.users[TRAINER].pk).update(sex=User.Sex.MALE)
    for number, course in enumerate(Course.objects.all()):
        course.title_ro = f"Combaterea traficului de ființe umane {number}"
        course.title_ru = f"Противодействие торговле людьми {number}"
        course.save()
    AgendaItem.objects.update(title_ro="Cooperarea interinstituțională", title_ru="Межведомственное сотрудничество")
    Programme.objects.update(title_ro="Consolidarea capacităților", title_ru="Укрепление потенциала")
    for number, institution in enumerate(Institution.objects.all()):
        institution.name = f"Judecătoria Cahul {number}"
        institution.save()
    for number, region in enumerate(Region.objects.all()):
        region.name = f"Bălți {number}"
        region.save()
    Facilitator.objects.update(name="Lāsma Stabiņa", organisation="ICMPD")
    # A certificate prints what it certifies once, in its holder's language: it is issued again in this one.
    scenario.certificate.delete()
    scenario.certificate, _created = certificate_issue(
        enrollment=Enrollment.objects.get(pk=scenario.enrollment.pk),
        actor=scenario.users[ADMINISTRATOR],
        reason="Prezent în toate zilele.",
    )
    return scenario


def open_as(client, scenario, actor, language):
    client.logout()
    client.cookies["django_language"] = language
    if actor != ANONYMOUS:
        client.force_login(scenario.users[actor])


def report(found):
    return "English shown:\n" + "\n".join(f"  {where}: {' | '.join(msgids)}" for where, msgids in found.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_english(language, scenario, client):
    found = {}
    for name in sorted(EXPECTED):
        for check in checks(name):
            url = reverse(name, kwargs=check.kwargs(scenario))
            for actor in ROLES:
                if check.method == "POST" and check.expect[actor] != 302:
                    continue  # a refusal's page is met on the GETs
                open_as(client, scenario, actor, language)
                savepoint = transaction.savepoint()
                if check.method == "POST":
                    response = client.post(url, check.data(scenario), follow=True)
                else:
                    response = client.get(url)
                if response.status_code != 302 and (text := leaks(response_text(response), language)):
                    found[f"{actor}, {check.method} {url} ({response.status_code})"] = text
                transaction.savepoint_rollback(savepoint)
    assert not found, report(found)


ACCOUNT_PAGES = {
    ANONYMOUS: ["account_login", "account_signup", "account_reset_password", "account_reset_password_done",
                "account_email_verification_sent", "account_inactive"],
    PARTICIPANT: ["account_email", "account_change_password", "account_logout", "account_reauthenticate"],
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_account_page_shows_english(language, scenario, client):
    found = {}
    for actor, names in ACCOUNT_PAGES.items():
        for name in names:
            open_as(client, scenario, actor, language)
            response = client.get(reverse(name), follow=True)
            if text := leaks(response_text(response), language):
                found[f"{actor}, GET {reverse(name)}"] = text
    # Signing in with a wrong password, signing up with too short a one: the form's errors.
    open_as(client, scenario, ANONYMOUS, language)
    wrong = {"login": scenario.users[PARTICIPANT].email, "password": "not the password"}
    for name, data in [("account_login", wrong), ("account_signup", {"email": "x", "password1": "1"})]:
        if text := leaks(response_text(client.post(reverse(name), data)), language):
            found[f"POST {reverse(name)} (refused)"] = text
    assert not found, report(found)


def account_emails(client, scenario, language):
    """allauth's emails, each sent the way the site sends it; [the page shown after each step]."""
    participant = scenario.users[PARTICIPANT]
    profile = {"given_name": "Ana", "family_name": "Țurcan", "profession": participant.profession,
               "sex": User.Sex.FEMALE, "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
    steps = [
        (PARTICIPANT, "account_email", {"action_send": "", "email": participant.email}),
        (ANONYMOUS, "account_signup", {**profile, "email": "ana@example.test"}),
        (ANONYMOUS, "account_signup", {**profile, "email": participant.email}),
        (ANONYMOUS, "account_reset_password", {"email": participant.email}),
        (ANONYMOUS, "account_reset_password", {"email": "nobody@example.test"}),
    ]
    EmailAddress.objects.filter(user=participant).update(verified=False)
    pages = []
    for actor, name, data in steps:
        # Steps taken minutes apart: allauth's limit on emails to one address (kept in the cache) stays out.
        cache.clear()
        open_as(client, scenario, actor, language)
        pages.append(client.post(reverse(name), data, follow=True))
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_email_shows_english(language, scenario, client):
    certificate_deliver(certificate=scenario.certificate)
    enrollment = Enrollment.objects.get(pk=scenario.enrollment.pk)  # with the course's translated title
    for kind in SUBJECTS:
        enrollment_notify(enrollment, kind, note="Aduceți legitimația.")
    found = {}
    for number, page in enumerate(account_emails(client, scenario, language)):
        if text := leaks(response_text(page), language):
            found[f"the page after account step {number + 1}"] = text
    # The certificate's, one for each enrollment step, and allauth's five.
    assert OutgoingEmail.objects.count() == 1 + len(SUBJECTS) + 5
    for email in OutgoingEmail.objects.order_by("pk"):
        text = "\n".join([email.subject, email.body_text, visible_text(email.body_html)])
        if msgids := leaks(text, language):
            found[f"email “{email.subject}”"] = msgids
    assert not found, report(found)
