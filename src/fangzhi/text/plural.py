"""Counts in the English of fangzhi's messages: ``1 warning``, ``2 warnings``, ``1 entry was found``.

A user reads "1 lines of furniture" as a bug, so every count a message puts
before a noun goes through :func:`counted`, and a verb that follows it
through :func:`agree`.  Nouns are given with their plural when it is not
the noun with an ``s`` (``entry``/``entries``, ``line of furniture``/``lines of
furniture``): the vocabulary is small and ours, so no rules are guessed.
"""

from __future__ import annotations


def agree(number: int, singular: str, plural: str) -> str:
    """The form that agrees with ``number``: ``singular`` for exactly one, else ``plural`` (none, or many)."""
    return singular if number == 1 else plural


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` (with thousands separators) and the noun in the form that agrees with it."""
    return f"{number:,} {agree(number, noun, plural or noun + 's')}"
