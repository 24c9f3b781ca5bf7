import email
import os
import re
from email import policy

import pytest
from django.core.mail import EmailMultiAlternatives

from lms.mail import Message

HEADERS = {"Message-ID": "<certificate-1@sinergia.test>", "Date": "Mon, 30 Nov 2026 10:00:00 -0000"}


def written(message_class, pdf, linesep):
    message = message_class("Certificat — Combaterea traficului", "Stimată doamnă Rusu,\n\nVă felicităm.",
                            to=["elena.rusu@example.test"], headers=HEADERS)  # fmt: skip
    message.attach_alternative("<p>Stimată doamnă Rusu,</p>", "text/html")
    message.attach("certificat-ABCD.pdf", pdf, "application/pdf")
    message.attach("notă.txt", "Programul zilei", "text/plain")
    return message.message().as_bytes(linesep=linesep)


def boundaries_alike(flat):
    # Each message draws its own boundaries.
    return re.sub(rb"={15}\d+==", b"BOUNDARY", flat)


@pytest.mark.parametrize("linesep", ["\r\n", "\n"])
def test_a_message_is_written_as_the_email_package_writes_it_with_its_attachment_intact(linesep):
    pdf = os.urandom(80_000)
    ours = written(Message, pdf, linesep)
    assert boundaries_alike(ours) == boundaries_alike(written(EmailMultiAlternatives, pdf, linesep))
    parts = {part.get_filename(): part for part in email.message_from_bytes(ours, policy=policy.default).walk()}
    assert parts["certificat-ABCD.pdf"].get_content() == pdf
    assert parts["notă.txt"].get_content() == "Programul zilei"
    assert max(len(line) for line in ours.split(linesep.encode())) <= 998
