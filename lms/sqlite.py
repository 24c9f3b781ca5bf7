"""SQLite's LIKE, which Django's `icontains` uses there, folds case for ASCII only:
"торговля" would not find "Торговля", nor "șomaj" "Șomaj". Each SQLite connection
gets a LIKE that folds case for every alphabet, as PostgreSQL's UPPER() does.

SQLite knows no language's alphabetical order either: each connection also gets collations named as PostgreSQL's
ICU ones, so lms.collation.Collated reads the same on both."""

import re
from functools import lru_cache, partial

from .collation import COLLATIONS, compare


@lru_cache(maxsize=256)
def _pattern(like, escape):
    parts, characters = [], iter(like)
    for character in characters:
        if escape and character == escape:
            parts.append(re.escape(next(characters, "").casefold()))
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character.casefold()))
    return re.compile("".join(parts), re.DOTALL)


def _like(like, value, escape=None):
    if like is None or value is None:
        return None
    return _pattern(like, escape).fullmatch(str(value).casefold()) is not None


def unicode_like(sender, connection, **kwargs):
    """For the `connection_created` signal."""
    if connection.vendor == "sqlite":
        for arity in (2, 3):
            connection.connection.create_function("like", arity, _like, deterministic=True)


def language_collations(sender, connection, **kwargs):
    """For the `connection_created` signal."""
    if connection.vendor == "sqlite":
        for language, name in COLLATIONS.items():
            connection.connection.create_collation(name, partial(compare, language=language))
