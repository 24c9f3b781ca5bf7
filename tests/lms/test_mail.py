import email
import os
import random
import re
import string
from email import policy
from email.policy import compat32

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from lms.mail import POLICY, Message

HEADERS = {"Message-ID": "<certificate-1@sinergia.test>", "Date": "Mon, 30 Nov 2026 10:00:00 -0000"}


def written(message_class, pdf, linesep):
    message = message_class("Certificat — Combaterea traficului", "Stimată doamnă Rusu,\n\nVă felicităm.",
                            to=["elena.rusu@example.test"], headers=HEADERS)  # fmt: skip
    message.attach_alternative("<p>Stimată doamnă Rusu,</p>", "text/html")
    message.attach("certificat-ABCD.pdf", pdf, "application/pdf")
    message.attach("notă.txt", "Programul zilei", "text/plain")
    return message.message().as_bytes(linesep=linesep)


def alike(flat):
    # Each message draws its own boundaries; the subject's encoded words are compared once read.
    flat = re.sub(rb"={15}\d+==", b"BOUNDARY", flat)
    return re.sub(rb"Subject: .*?\n(?=\S)", b"", flat, flags=re.DOTALL)


@pytest.mark.parametrize("linesep", ["\r\n", "\n"])
def test_a_message_is_written_as_the_email_package_writes_it_with_its_attachment_intact(linesep):
    pdf = os.urandom(80_000)
    ours = written(Message, pdf, linesep)
    assert alike(ours) == alike(written(EmailMultiAlternatives, pdf, linesep))
    read = email.message_from_bytes(ours, policy=policy.default)
    assert read["Subject"] == "Certificat — Combaterea traficului"
    parts = {part.get_filename(): part for part in read.walk()}
    assert parts["certificat-ABCD.pdf"].get_content() == pdf
    assert parts["notă.txt"].get_content() == "Programul zilei"
    assert max(len(line) for line in ours.split(linesep.encode())) <= 998


@pytest.mark.parametrize(
    "subject",
    [
        "Ваш сертификат: Противодействие торговле людьми и защита пострадавших, для судей и прокуроров",
        "Certificatul dumneavoastră: Consolidarea sinergiilor în combaterea traficului de ființe umane 😀",
        "Your certificate: Combating trafficking in human beings, for judges, prosecutors and police officers",
    ],
)
def test_a_long_subject_reads_back_whole_in_lines_of_78_characters(subject):
    flat = Message(subject, "Text", to=["elena.rusu@example.test"]).message().as_bytes(linesep="\r\n")
    assert email.message_from_bytes(flat, policy=policy.default)["Subject"] == subject
    headers = flat.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in headers.split(b"\r\n")) <= 78


def test_a_subject_with_a_line_break_is_refused():
    with pytest.raises(BadHeaderError):
        Message("Certificat\nBcc: someone@example.test", "Text", to=["elena.rusu@example.test"]).message()


def test_short_headers_are_written_as_the_email_package_writes_them():
    draw = random.Random(3)
    letters = string.ascii_letters + string.digits + '  \t;="<>@.,:()-_/'
    ours, theirs = POLICY.clone(linesep="\r\n"), compat32.clone(linesep="\r\n")
    for _ in range(2000):
        name = draw.choice(["Subject", "To", "Content-Type", "Message-ID"])
        value = "".join(draw.choice(letters) for _ in range(draw.randint(0, 80)))
        assert ours.fold_binary(name, value) == theirs.fold_binary(name, value), (name, value)
