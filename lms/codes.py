"""Random codes that people read aloud and type: check-in codes, certificate codes."""

import secrets

# No 0/O nor 1/I: nothing to confuse when read from a screen or a sheet of paper.
READABLE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def readable_code(length):
    """`length` symbols of 5 random bits each."""
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))
