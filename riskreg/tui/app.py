"""The riskreg terminal UI: ``run(ctx)`` starts it on the register view.

The App receives its Context (database, actor, clock) and the nämnd and year to open;
everything else is loaded by the screens. Every change is saved by the service call that
makes it, so quitting never loses work and there is nothing to "save" on exit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from time import monotonic
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from riskreg.domain.errors import RiskregError
from riskreg.domain.text import count_of
from riskreg.domain.visible import visible
from riskreg.services import watching
from riskreg.services.context import Context
from riskreg.tui.model.changes import notable, notice
from riskreg.tui.screens.base import BaseScreen
from riskreg.tui.screens.register import RegisterScreen
from riskreg.tui.settings import Drafts, Remembered, Settings, config_dir, draft_dir
from riskreg.tui.themes import HIGH_CONTRAST, THEMES, next_theme, theme_label
from riskreg.tui.widgets.swedish import NoMatches, SvCommandPalette

# How often the app looks for others' changes: within a few seconds, at a cost of one
# one-row query (bench/tui_bench.py measures the idle CPU).
WATCH_SECONDS = 2.0
ROUTINE_EVERY = 20.0  # seconds between notices about others' routine review answers


class RiskregApp(App[object]):
    # Absolute, so that subclasses defined elsewhere (tests, the benchmark) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {NoMatches}
    TITLE = "riskreg"
    SUB_TITLE = "internkontrollplan"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Avsluta", priority=True, show=False),
        # priority: F1 works in dialogs too (a modal screen hides the app's other keys)
        Binding("f1", "toggle_help", "Hjälp", priority=True),
        Binding("f2", "next_theme", "Tema", show=False),
        Binding("ctrl+p", "command_palette", "Kommandon", priority=True, show=False),
    ]

    def __init__(
        self,
        ctx: Context,
        *,
        year: int | None = None,
        committee: str | None = None,
        theme: str | None = None,
        watch: float | None = None,
        settings: Settings | None = None,
        drafts: Drafts | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings = settings  # theme and last nämnd/year (None: nothing remembered)
        self.drafts = drafts  # unsaved texts (None: none kept)
        remembered = settings.load() if settings is not None else Remembered()
        # the nämnd and year asked for, else the ones shown last time
        self.remembered = year is None and committee is None and remembered.committee is not None
        self.start_year = remembered.year if self.remembered else year
        self.start_committee = remembered.committee if self.remembered else committee
        self.register_theme(HIGH_CONTRAST)
        theme = theme or remembered.theme
        if theme is not None and theme in {name for name, _ in THEMES}:
            self.theme = theme
        self.watch_seconds = watch  # how often to look for others' changes (None: never)
        self._seen: int | None = None  # the change counter last looked at
        self._routine_told = -ROUTINE_EVERY  # when others' routine answers were last told

    def on_mount(self) -> None:
        if self.watch_seconds:
            self.set_interval(self.watch_seconds, self._look_for_changes)
        waiting = self.drafts.all() if self.drafts is not None else []
        if waiting:
            names = "; ".join(d.label for d in waiting[:3])
            self.notify(
                f"Osparad text från förra gången: {names}. Den fylls i när du skriver samma "
                "kommentar igen.",
                title=count_of(len(waiting), "utkast", "utkast"),
                timeout=10,
            )

    def remember(self, **values: object) -> None:
        if self.settings is not None:
            self.settings.save(**values)

    # -- others' changes -------------------------------------------------------------

    def _look_for_changes(self) -> None:
        if not any(w.group == "watch" and w.is_running for w in self.workers):
            self.run_worker(self._changes, thread=True, group="watch", exit_on_error=False)

    def _changes(self) -> None:
        """In a thread: one tiny query; the view is refreshed only when others wrote."""
        try:
            if self._seen is None:
                self._seen = watching.head(self.ctx)
                return
            self._seen, changes = watching.changes_since(self.ctx, self._seen)
        except RiskregError:
            return  # a lost connection: the next save says so; keep looking quietly
        if changes:
            self.call_from_thread(self._changed_elsewhere, changes)

    def _changed_elsewhere(self, changes: list[watching.Change]) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.refresh_for_changes()
        now = monotonic()
        if notable(changes):
            self.notify(notice(changes), title="Ändrat av andra", timeout=6)
        elif now - self._routine_told >= ROUTINE_EVERY:
            # others' review answers: the view shows them; a line now and then says so
            self._routine_told = now
            self.notify(notice(changes), title="Ändrat av andra", timeout=3)

    def get_default_screen(self) -> Screen[Any]:
        return RegisterScreen(
            self.ctx,
            committee=self.start_committee,
            year=self.start_year,
            remembered=self.remembered,
        )

    # -- notifications -------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast in plain text with control characters as symbols: a message quotes
        register text (a reference, a role's name, a service's sentence about a value),
        which must neither reach the terminal raw nor be read as markup."""
        super().notify(
            visible(message, keep_newlines=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def action_help_quit(self) -> None:
        """Ctrl+C, pressed out of habit: say how to quit (Textual's own hint is markup)."""
        self.notify("Avsluta med Ctrl+Q. Allt är redan sparat.", title="Vill du avsluta?")

    # -- help, themes, palette -----------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        screen = self.screen
        shown = screen.key_display(binding) if isinstance(screen, BaseScreen) else None
        return shown or super().get_key_display(binding)

    def action_toggle_help(self) -> None:
        """F1: the help and keys for what has the focus, in a dialog that scrolls."""
        from riskreg.tui.screens.help import HelpScreen, help_texts, key_rows

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(help_texts(self.screen), key_rows(self.screen)))

    def set_theme(self, name: str) -> None:
        self.theme = name
        self.remember(theme=name)
        self.notify(f"Tema: {theme_label(name)}.")

    def action_next_theme(self) -> None:
        self.set_theme(next_theme(self.theme))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(SvCommandPalette(placeholder="Sök kommando …", id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists the screen's own commands first, then the app's, in Swedish."""
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            yield from commands()
        yield SystemCommand(
            "Hjälp", "Visa eller dölj hjälpen för det som har fokus", self.action_toggle_help
        )
        for name, label in THEMES:
            yield SystemCommand(f"Tema: {label}", "Byt färgtema", partial(self.set_theme, name))
        yield SystemCommand("Avsluta riskreg", "Allt är redan sparat", self.exit)


def run(ctx: Context, *, year: int | None = None, committee: str | None = None) -> None:
    """Start the terminal UI on the register view of ``committee``'s plan for ``year``
    (the current plan when ``year`` is None; a picker when the register has several
    nämnder and none is given)."""
    register = ctx.target.display  # the URL without a password
    RiskregApp(
        ctx,
        year=year,
        committee=committee,
        watch=WATCH_SECONDS,
        settings=Settings(config_dir(), register),
        drafts=Drafts(draft_dir(), register),
    ).run()
