"""Spreadsheet column letters, the way vendors and users name columns (A, B, …, AA)."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AB -> 27."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1
