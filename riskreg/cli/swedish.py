"""Click's own messages (usage errors, help headings) in Swedish.

Click looks its texts up through ``gettext``, bound at import in each of its modules; we
point those lookups at this table. Texts not listed stay as click wrote them.
"""

from __future__ import annotations

import importlib

import click

_TEXTS = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Avbrutet.",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Se ”{command} {option}” för hjälp.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing command.": "Ange ett kommando.",
    "Missing parameter: {param_name}": "Saknar: {param_name}",
    "No such command {name!r}.": "Det finns inget kommando {name!r}.",
    "No such option {name!r}.": "Det finns ingen flagga {name!r}.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Option {name!r} requires an argument.": "Flaggan {name!r} behöver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} behöver {nargs} värden.",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte ett av {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "{value!r} does not match the format {format}.": "{value!r} följer inte formatet {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} följer inte formaten {formats}.",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Oväntade extra argument ({args})",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "integer": "heltal",
    "file": "fil",
    "path": "sökväg",
    "directory": "mapp",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def _gettext(message: str) -> str:
    return _TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def localise(command: click.Command) -> click.Command:
    """Swedish placeholders in a command's usage line (and its subcommands')."""
    command.options_metavar = "[FLAGGOR]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
        for sub in command.commands.values():
            localise(sub)
    return command


def install() -> None:
    click.types.IntParamType.name = "heltal"
    click.types.FloatParamType.name = "decimaltal"
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
