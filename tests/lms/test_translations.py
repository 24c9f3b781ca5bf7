"""Romanian and Russian are complete, and the compiled catalogues match what was written."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def entries(po_file):
    """(context, msgid, [msgstr...], flags) of each entry of a .po file, the header left out."""
    for block in po_file.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            translations = [value for key, value in fields.items() if key.startswith("msgstr")]
            yield fields.get("msgctxt"), fields["msgid"], translations, flags


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_every_string_is_translated_and_compiled(language):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    found = list(entries(po_file))
    assert len(found) > 300
    for context, msgid, translations, flags in found:
        assert "fuzzy" not in flags, msgid
        assert translations and all(translations), f"untranslated: {msgid!r}"
        if context is None and len(translations) == 1:
            assert compiled.gettext(msgid) == translations[0], f"the .mo is older than the .po for {msgid!r}"
