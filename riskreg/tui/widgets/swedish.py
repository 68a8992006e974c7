"""Textual's built-in widgets with their key descriptions in Swedish, so that F1 (the key
panel) and the footer read Swedish whatever has the focus.

Each subclass replaces the bindings it inherits (``inherit_bindings=False``) with the
same keys and actions, described from ``DESCRIPTIONS``; nothing else changes. A binding
of the parent without a translation keeps its key and gets an empty description rather
than English (``test_every_binding_is_swedish`` lists any).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    TextArea,
)

from riskreg.domain.visible import visible

DESCRIPTIONS = {
    # Input and TextArea
    "Delete character left": "Radera tecknet till vänster",
    "Delete character right": "Radera tecknet till höger",
    "Delete left to start of word": "Radera ordet till vänster",
    "Delete right to start of word": "Radera ordet till höger",
    "Delete all to the left": "Radera allt till vänster",
    "Delete all to the right": "Radera allt till höger",
    "Delete to line start": "Radera till radens början",
    "Delete to line end": "Radera till radens slut",
    "Delete line": "Radera raden",
    "Move cursor left": "Markören vänster",
    "Move cursor right": "Markören höger",
    "Move cursor right or accept the completion suggestion": "Markören höger",
    "Move cursor left a word": "Ett ord vänster",
    "Move cursor right a word": "Ett ord höger",
    "Move cursor left and select": "Markera vänster",
    "Move cursor right and select": "Markera höger",
    "Move cursor left a word and select": "Markera ett ord vänster",
    "Move cursor right a word and select": "Markera ett ord höger",
    "Go to start": "Till början",
    "Go to end": "Till slutet",
    "Select line start": "Markera till radens början",
    "Select line end": "Markera till radens slut",
    "Select all": "Markera allt",
    "Select line": "Markera raden",
    "Submit": "Skicka",
    "Copy selected text": "Kopiera markerad text",
    "Copy": "Kopiera",
    "Cut selected text": "Klipp ut markerad text",
    "Cut": "Klipp ut",
    "Paste text from the clipboard": "Klistra in",
    "Paste": "Klistra in",
    "Undo": "Ångra",
    "Redo": "Gör om",
    "Cursor up": "Markören upp",
    "Cursor down": "Markören ned",
    "Cursor left": "Markören vänster",
    "Cursor right": "Markören höger",
    "Cursor word left": "Ett ord vänster",
    "Cursor word right": "Ett ord höger",
    "Cursor line start": "Radens början",
    "Cursor line end": "Radens slut",
    "Cursor page up": "Sida upp",
    "Cursor page down": "Sida ned",
    "Cursor up select": "Markera uppåt",
    "Cursor down select": "Markera nedåt",
    "Cursor left select": "Markera vänster",
    "Cursor right select": "Markera höger",
    "Cursor left word select": "Markera ett ord vänster",
    "Cursor right word select": "Markera ett ord höger",
    "Cursor line start select": "Markera till radens början",
    "Cursor line end select": "Markera till radens slut",
    # scrolling containers (a RadioSet is one)
    "Scroll Up": "Rulla upp",
    "Scroll Down": "Rulla ned",
    "Scroll Left": "Rulla vänster",
    "Scroll Right": "Rulla höger",
    "Scroll Home": "Till början",
    "Scroll End": "Till slutet",
    "Page Left": "Sida vänster",
    "Page Right": "Sida höger",
    # lists, choices, buttons
    "Up": "Upp",
    "Down": "Ned",
    "First": "Första",
    "Last": "Sista",
    "Page Up": "Sida upp",
    "Page Down": "Sida ned",
    "Select": "Välj",
    "Toggle option": "Markera/avmarkera",
    "Toggle": "Växla",
    "Next option": "Nästa alternativ",
    "Previous option": "Föregående alternativ",
    "Press button": "Tryck på knappen",
    "Show menu": "Öppna listan",
    # the command palette (a screen)
    "Focus Next": "Nästa fält",
    "Focus Previous": "Föregående fält",
    "Go to bottom": "Till slutet",
    "Go to top": "Till början",
    "Next command": "Nästa kommando",
    "Previous command": "Föregående kommando",
    "Next page": "Nästa sida",
    "Previous page": "Föregående sida",
    "Exit the command palette": "Stäng kommandopaletten",
}


def swedish_bindings(base: type[DOMNode]) -> list[BindingType]:
    """``base``'s bindings (its own and inherited, the nearest first), in Swedish."""
    seen: set[str] = set()
    found: list[BindingType] = []
    for klass in base.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding):
                key, action, *rest = binding
                binding = Binding(key, action, rest[0] if rest else "")
            if binding.key in seen:
                continue
            seen.add(binding.key)
            found.append(replace(binding, description=DESCRIPTIONS.get(binding.description, "")))
    return found


class SvButton(Button, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(Button)


class SvCheckbox(Checkbox, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(Checkbox)


class SvRadioButton(RadioButton, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(RadioButton)


class SvRadioSet(RadioSet, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(RadioSet)


class SvInput(Input, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(Input)


class SvTextArea(TextArea, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(TextArea)


class SvCommandPalette(CommandPalette, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = swedish_bindings(CommandPalette)


class NoMatches(Provider):
    """Says "inga träffar" in Swedish when no command matches what was typed (the palette's
    own message is English and shows only when no provider has a hit)."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        commands = self.app.get_system_commands(self.screen)
        if any(matcher.match(command.title) > 0 for command in commands):
            return
        yield Hit(
            1e-6,
            Content(f"Inga träffar för ”{visible(query)}”"),
            _nothing,
            help="Skriv något annat, eller Esc för att stänga.",
        )


def _nothing() -> None:
    """Choosing the "inga träffar" line just closes the palette."""
