"""People, institutions and regions in the alphabetical order of the page's language.

PostgreSQL sorts with its ICU collations ("ro-x-icu", "ru-x-icu", "en-x-icu"). SQLite gets collations of the same
names on each connection (lms.sqlite), drawn from `sort_key`, which sorts in Python (the statistics' labels) use too.
`sort_key` follows ICU where names can differ: Romanian sorts ă after a, â after ă, î after i, ș after s and ț after
t; Russian puts Cyrillic before Latin and ё with е; case and other diacritics count only between otherwise equal
names. See bench/README.md for why this, and not a collation library.
"""

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.db.models import Expression, F, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language

COLLATIONS = {code: f"{code}-x-icu" for code, _name in settings.LANGUAGES}

# Letters sorted as letters of their own, each right after another: {letter: (after, rank)}.
_CYRILLIC = {"ґ": ("г", 1), "є": ("е", 1), "і": ("и", 1), "ї": ("и", 2)}
_LETTERS = {
    "ro": {"ă": ("a", 1), "â": ("a", 2), "î": ("i", 1), "ș": ("s", 1), "ş": ("s", 1), "ț": ("t", 1), "ţ": ("t", 1)},
}
# Variants of a letter that differ from it only by a diacritic: {letter: (base, diacritic)}.
_VARIANTS = {"ё": ("е", "\u0308")}
# Languages whose own script sorts before the others.
_SCRIPT_FIRST = {"ru": "CYRILLIC"}


def language_of(language=None):
    """The collation language for `language` (by default the active one): one of settings.LANGUAGES."""
    code = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in COLLATIONS else settings.LANGUAGE_CODE[:2]


def sort_key(text, language=None):
    """A key that sorts texts as the language's collation does (None and "" first)."""
    return _key(text or "", language_of(language))


def compare(first, second, language):
    """-1, 0 or 1, as SQLite's collation functions answer."""
    first, second = _key(first, language), _key(second, language)
    return (first > second) - (first < second)


@lru_cache(maxsize=8192)
def _key(text, language):
    weights = [_weights(character, language) for character in unicodedata.normalize("NFC", text)]
    return tuple(zip(*weights, strict=True)) + (text,) if weights else ((), (), (), text)


@lru_cache(maxsize=4096)
def _weights(character, language):
    """(primary, secondary, tertiary) weights of one character: letter, diacritics, case."""
    lower = character.lower()
    letters, script = _LETTERS.get(language, {}), _SCRIPT_FIRST.get(language)
    if lower in letters or lower in _CYRILLIC:
        (base, rank), marks = letters.get(lower) or _CYRILLIC[lower], ""
    elif lower in _VARIANTS:
        (base, marks), rank = _VARIANTS[lower], 0
    elif "LATIN" in unicodedata.name(lower[0], ""):
        # Latin letters sort by their base letter; the diacritics decide only between otherwise equal names.
        (base, marks), rank = _split(lower), 0
    else:
        base, marks, rank = lower, "", 0
    group = 0 if not base.isalpha() else 1 if script and script in unicodedata.name(base[0], "") else 2
    return (group, base, rank), marks, character != lower


def _split(letter):
    decomposed = unicodedata.normalize("NFD", letter)
    return decomposed[0], decomposed[1:]


class Collated(Expression):
    """A text field for order_by(), in the collation of `language` (by default the language active when the query
    runs). A field made translatable by modeltranslation is read in that language, else in the next one that has it.
    """

    def __init__(self, field_name, language=None):
        super().__init__()
        self.field_name, self.language = field_name, language

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        language = language_of(self.language)
        text = _localized(query.model, self.field_name, language)
        return Collate(text, COLLATIONS[language]).resolve_expression(query, allow_joins, reuse, summarize, for_save)


def _localized(model, field_name, language):
    from modeltranslation.manager import get_translatable_fields_for_model
    from modeltranslation.utils import build_localized_fieldname, resolution_order

    *relations, name = field_name.split(LOOKUP_SEP)
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    if name not in (get_translatable_fields_for_model(model) or ()):
        return F(field_name)
    prefix = field_name[: len(field_name) - len(name)]
    columns = [
        NullIf(F(prefix + build_localized_fieldname(name, code)), Value("")) for code in resolution_order(language)
    ]
    return Coalesce(*columns) if len(columns) > 1 else columns[0]
