"""An email whose binary attachments are written out in one piece each, its subject encoded, its boundaries drawn
at once and its short headers written as they are.

Python's email package writes an attachment's base64 text line by line: for a certificate's 80 KB, about 3 ms of
the sending worker's time, as much as half of drawing the PDF. Here each binary attachment is encoded in one call
and put in the written message in place of a placeholder line.
"""

import binascii
import re
import secrets
from email.mime.base import MIMEBase
from email.policy import Compat32

from django.core.mail import EmailMultiAlternatives

LINES = re.compile(rb".{1,76}", re.DOTALL)  # base64 text cut in lines of 76 characters (RFC 2045)


class _Policy(Compat32):
    """The email package's own policy, writing a header that fits on its line as it is: most do, and folding each
    took a third of the time of writing a certificate's email."""

    def _fold(self, name, value, sanitize):
        fits = isinstance(value, str) and len(name) + 2 + len(value) <= self.max_line_length
        if fits and value.isascii() and "\n" not in value and "\r" not in value:
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


POLICY = _Policy()


class Message(EmailMultiAlternatives):
    def _create_mime_attachment(self, content, mimetype):
        basetype, subtype = mimetype.split("/", 1)
        if basetype in ("text", "message") or not isinstance(content, bytes):
            return super()._create_mime_attachment(content, mimetype)
        placeholder = f"attachment-{secrets.token_hex(16)}"
        attachment = MIMEBase(basetype, subtype)
        attachment.set_payload(placeholder)
        attachment["Content-Transfer-Encoding"] = "base64"
        self._encoded[placeholder.encode()] = binascii.b2a_base64(content, newline=False)
        return attachment

    def message(self):
        self._encoded = {}
        subject, self.subject = self.subject, _encoded_words(str(self.subject))
        try:
            message = super().message()
        finally:
            self.subject = subject
        for part in message.walk():
            part.policy = POLICY
            if part.is_multipart():
                # Drawn here, the email package does not search the whole message for it, with a new regex each time.
                part.set_boundary(f"{'=' * 15}{secrets.randbelow(10**19):019d}==")
        message.as_bytes = _written(message.as_bytes, self._encoded)
        return message


def _encoded_words(text):
    """`text` as RFC 2047 encoded words when it is not ASCII: base64, whole characters, at most 75 characters a word.

    The email package weighs two encodings at every place it might cut a line: 0.3 ms a subject. A text with a line
    break is left as it is, for Django to refuse.
    """
    if text.isascii() or "\n" in text or "\r" in text:
        return text
    words, word = [], b""
    for character in text:
        encoded = character.encode()
        if len(word) + len(encoded) > 39:  # 52 in base64: a word fits on the "Subject: " line
            words.append(word)
            word = b""
        word += encoded
    words.append(word)
    return " ".join(f"=?utf-8?b?{binascii.b2a_base64(word, newline=False).decode()}?=" for word in words)


def _written(as_bytes, encoded):
    """`as_bytes` of a message with each placeholder line replaced by its attachment's base64 lines."""

    def written(unixfrom=False, linesep="\n"):
        flat = as_bytes(unixfrom=unixfrom, linesep=linesep)
        for placeholder, text in encoded.items():
            # Each line ends with a line break, the last too, as the email package writes them.
            lines = linesep.encode().join([*LINES.findall(text), b""])
            flat = flat.replace(placeholder, lines, 1)
        return flat

    return written
