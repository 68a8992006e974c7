"""The register view: the plan year's risks in a table, with counts, filter and sorting.

This is the screen the app opens on. It loads the plan in a worker thread and reloads
after anything that was changed from here or from the screens it opened.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Input, Static

from riskreg.domain.errors import NotFound, RiskregError
from riskreg.domain.records import PlanInfo, PlanSnapshot
from riskreg.domain.scales import PlanStatus
from riskreg.domain.text import count_of
from riskreg.services import plans, tui_support
from riskreg.services.context import Context
from riskreg.tui.model.brutto import missing_brutto, missing_brutto_text
from riskreg.tui.model.rows import (
    FILTER_HELP,
    SORT_BY_NAME,
    Counts,
    RegisterRow,
    RowFilter,
    apply_filter,
    build_rows,
    count_rows,
    next_sort,
    parse_filter,
    sort_rows,
)
from riskreg.tui.screens import flows
from riskreg.tui.screens.base import BaseScreen, attempt, show_error
from riskreg.tui.widgets.chips import level_style
from riskreg.tui.widgets.plain import PlainInput, one_line, paragraph
from riskreg.tui.widgets.risk_table import RiskTable

ALL = "*"  # the committee value of the overview across all nämnder


class RegisterScreen(BaseScreen[None]):
    HELP = """
## Registret

Planens alla risker. Välj en rad och tryck **Enter** för detaljer och historik.

- **/** filtrerar: ord i risken, eller `verksamhet:HR`, `roll:chef`, `nivå:hög`,
  `status:accepterad`. **Esc** tar bort filtret.
- **s** byter sorteringskolumn, **S** vänder ordningen.
- **u** startar periodens uppföljning, **b** bruttobedömningen (risk för risk, före
  åtgärder), **m** visar riskmatrisen, **i** årets ISK-bedömning (föreslaget betyg,
  slutsats och PDF).
- **y** byter planår, **n** byter nämnd (eller visar alla nämnders aktuella planer).
- **a** ny risk, **e** redigera, **A** acceptera, **x** avsluta eller återaktivera,
  **Delete** tar bort risken ur ett utkast, **o** roller.
- **F** fastställ planen, **R** planens revisioner, **V** för över planen till ett nytt år.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        # First, so that the footer shows how to quit at 80 columns too.
        Binding("q", "app.quit", "Avsluta"),
        Binding("slash", "filter", "Filtrera", key_display="/"),
        Binding("escape", "clear_filter", "Rensa filter", show=False),
        Binding("u", "review", "Uppföljning"),
        # The counts line says "tryck b" while bruttos are missing; the footer keeps room.
        Binding("b", "brutto", "Brutto", show=False),
        Binding("m", "matrix", "Matris"),
        Binding("i", "isk", "ISK-bedömning", show=False),
        # Planår and Sortera stay out of the footer so that it fits 100 columns (F1 and
        # the command palette list them).
        Binding("y", "pick_year", "Planår", show=False),
        Binding("n", "pick_committee", "Nämnd", show=False),
        Binding("s", "sort", "Sortera", show=False),
        Binding("S", "reverse", "Omvänd ordning", show=False),
        Binding("a", "add_risk", "Ny risk"),
        Binding("e", "edit_risk", "Redigera"),
        Binding("A", "accept_risk", "Acceptera", show=False),
        Binding("x", "close_risk", "Avsluta/återaktivera", show=False),
        Binding("delete", "delete_risk", "Ta bort ur utkast", show=False),
        Binding("o", "roles", "Roller", show=False),
        Binding("F", "adopt", "Fastställ plan", show=False),
        # Found in the palette and the README; system keeps F1's key list as it was.
        Binding("P", "plan_setup", "Matris och perioder", show=False, system=True),
        Binding("R", "revisions", "Revisioner", show=False),
        Binding("V", "roll_forward", "För över till nytt år", show=False),
        Binding("ctrl+r", "reload", "Läs in på nytt", show=False),
    ]

    class Loaded(Message):
        """The plan (or the overview) is on screen; the benchmark waits for this."""

        def __init__(self, risks: int) -> None:
            self.risks = risks
            super().__init__()

    class _Fetched(Message):
        def __init__(self, snapshots: list[PlanSnapshot], keep: tuple[int, str] | None) -> None:
            self.snapshots = snapshots
            self.keep = keep
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    class _ChooseCommittee(Message):
        def __init__(self, names: list[str]) -> None:
            self.names = names
            super().__init__()

    def __init__(
        self, ctx: Context, *, committee: str | None, year: int | None, remembered: bool = False
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.committee = committee
        self.year = year
        # nämnd and year are the ones shown last time, which may be gone since: then the
        # register opens as if none were given
        self._remembered = remembered
        # One plan, or every nämnd's current plan in the overview (committee ALL).
        self.snapshots: dict[int, PlanSnapshot] = {}
        self.snapshot: PlanSnapshot | None = None
        self._rows: list[RegisterRow] = []
        self._counts: Counts | None = None
        self._missing_brutto = 0
        self._filter = RowFilter()
        self._sort = "plan"
        self._reverse = False
        self._schema_checked = False

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("riskreg", id="register-title", classes="screen-title")
        yield Static("Läser in registret …", id="register-counts", classes="counts")
        yield PlainInput(placeholder=FILTER_HELP, id="filter", classes="-hidden")
        yield RiskTable(id="risks")
        yield Static("", id="risk-preview")
        yield Footer()

    @property
    def table(self) -> RiskTable:
        return self.query_one(RiskTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load()

    # -- loading -------------------------------------------------------------------

    @property
    def overview(self) -> bool:
        return self.committee == ALL

    @work(thread=True, exclusive=True, group="register-load")
    def load(self, keep: tuple[int, str] | None = None) -> None:
        if gc.get_freeze_count():
            # What the last load froze may be garbage now (screens closed since): let
            # the collector see it once, here in the worker, before freezing again.
            gc.unfreeze()
            gc.collect()
        try:
            if not self._schema_checked:
                tui_support.check_register(self.ctx)
                self._schema_checked = True
            try:
                snapshots = self._fetch()
            except NotFound:
                if not self._remembered:
                    raise
                # the nämnd or year shown last time is gone: open as if none were given
                self._remembered = False
                self.committee = self.year = None
                snapshots = self._fetch()
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        if snapshots is not None:
            self.post_message(self._Fetched(snapshots, keep))

    def _fetch(self) -> list[PlanSnapshot] | None:
        """The plans to show (``None``: the user is asked to choose a nämnd first)."""
        if self.committee is None:
            names = plans.committee_names(self.ctx)
            if len(names) > 1:
                self.post_message(self._ChooseCommittee(names))
                return None
        if self.overview:
            # only the latest reviews: all a row shows; reviews load the full plan
            return tui_support.current_plans(self.ctx, latest_only=True)
        return [plans.load_plan(self.ctx, self.year, self.committee)]

    def reload(self, keep_ref: str | None = None) -> None:
        row = self.table.highlighted
        if keep_ref is not None:
            plan_id = row.plan.id if row else (self.snapshot.plan.id if self.snapshot else 0)
            self.load((plan_id, keep_ref))
        else:
            self.load((row.plan.id, row.ref) if row else None)

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        self.snapshots = {s.plan.id: s for s in message.snapshots}
        self.snapshot = message.snapshots[0] if message.snapshots else None
        if not self.overview and self.snapshot is not None:
            self.committee = self.snapshot.plan.committee
            self.year = self.snapshot.plan.year
        self._rows = [row for snapshot in message.snapshots for row in build_rows(snapshot)]
        self.table.today = self.ctx.clock().date()
        self._counts = None
        self._missing_brutto = missing_brutto(self._rows)
        # The loaded records are long-lived and acyclic (refcounting frees them on the
        # next reload): keep the cyclic GC from walking them on a keystroke, where a
        # full collection of a 2,000-risk register costs ~70 ms.
        gc.freeze()
        self._show(message.keep)
        self.post_message(self.Loaded(len(self._rows)))
        remember = getattr(self.app, "remember", None)
        if callable(remember):
            remember(committee=self.committee, year=None if self.overview else self.year)

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)
        if self.snapshot is None:
            self.query_one("#register-counts", Static).update(
                Text.assemble(
                    ("Registret kunde inte läsas: ", "bold"),
                    paragraph(str(message.error)),
                    "  Tryck Ctrl+R för att försöka igen, Ctrl+Q för att avsluta.",
                )
            )

    @on(_ChooseCommittee)
    def _choose_committee(self, message: _ChooseCommittee) -> None:
        self._pick_committee(message.names, first=True)

    # -- showing -------------------------------------------------------------------

    def _show(self, keep: tuple[int, str] | None = None) -> None:
        if self.snapshot is None and not self.overview:
            return
        row = self.table.highlighted
        if keep is None and row is not None:
            keep = (row.plan.id, row.ref)
        shown = sort_rows(apply_filter(self._rows, self._filter), self._sort, self._reverse)
        self.table.set_rows(
            shown,
            keep=keep,
            sort_key=self._sort,
            reverse=self._reverse,
            overview=self.overview,
        )
        self._update_title()
        self._update_counts(shown)

    def _update_title(self) -> None:
        plan = self.snapshot.plan if self.snapshot else None
        if self.overview or plan is None:
            title = Text.assemble(
                ("riskreg", "bold"),
                " · ",
                ("Alla nämnder", "bold"),
                f" · aktuella planer för {len(self.snapshots)} nämnder",
            )
        else:
            # The plan year always shows: on a narrow terminal the nämnd's name gives way.
            width = self.size.width - 2
            plan_label = f"{'internkontrollplan' if width >= 80 else 'plan'} {plan.year}"
            fixed = f"riskreg ·  · {plan_label} ({plan.status.value})"
            committee = one_line(plan.committee)
            room = max(6, width - len(fixed))
            if len(committee) > room:
                committee = committee[: room - 1].rstrip() + "…"
            title = Text.assemble(
                ("riskreg", "bold"),
                " · ",
                committee,
                " · ",
                (plan_label, "bold"),
                f" ({plan.status.value})",
            )
            if plan.dnr:
                title.append(f" · dnr {one_line(plan.dnr)}")
        self.query_one("#register-title", Static).update(title, layout=False)

    def on_resize(self) -> None:
        if self.snapshot is not None:
            self._update_title()

    def _update_counts(self, shown: list[RegisterRow]) -> None:
        if self.snapshot is None:
            self.query_one("#register-counts", Static).update("Registret har inga planer.")
            return
        matrix = self.snapshot.plan.matrix  # the overview counts by the first plan's levels
        if self._counts is None:  # the totals change only with a reload
            self._counts = count_rows(self._rows, (), matrix)
        counts = replace(self._counts, shown=len(shown))
        line = Text()
        line.append(count_of(counts.total, "risk", "risker"), style="bold")
        extras = []
        if counts.accepted:
            extras.append(count_of(counts.accepted, "accepterad", "accepterade"))
        if counts.closed:
            extras.append(count_of(counts.closed, "avslutad", "avslutade"))
        if extras:
            line.append(f" ({', '.join(extras)})")
        missing = missing_brutto_text(self._missing_brutto)
        if missing:
            open_plan = self.overview or self.snapshot.plan.status is not PlanStatus.CLOSED
            line.append(" · ")
            line.append(missing + (" – tryck b" if open_plan else ""), style="bold")
        line.append("  Netto: ")
        for level, count in zip(matrix.levels, counts.per_level, strict=True):
            line.append(f" {one_line(level.name)} {count} ", style=level_style(level))
            line.append(" ")
        if counts.unassessed:
            line.append(count_of(counts.unassessed, "ej bedömd", "ej bedömda"), style="italic")
        sort = SORT_BY_NAME[self._sort]
        order = " (högst först)" if sort.highest_first != self._reverse else ""
        if self._reverse and not sort.highest_first:
            order = " (omvänd)"
        line.append(f"  Sortering: {sort.label}{order}", style="dim")
        if not self._filter.empty:
            line.append(f"  Filter visar {counts.shown} av {counts.total}", style="bold")
        self.query_one("#register-counts", Static).update(line, layout=False)

    @on(RiskTable.Highlighted)
    def _highlighted(self, message: RiskTable.Highlighted) -> None:
        preview = self.query_one("#risk-preview", Static)
        row = message.row
        if row is None:
            message_text = "Inga risker matchar filtret." if not self._filter.empty else ""
            preview.update(message_text, layout=False)
            return
        text = Text.assemble(
            (f"{one_line(row.ref)} ", "bold"),
            (f"{one_line(row.area)}: ", "italic"),
            one_line(row.text),
        )
        if row.roles:
            text.append(f"  Roller: {one_line(', '.join(row.roles))}", style="dim")
        preview.update(text, layout=False)

    # -- filter and sort -----------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.remove_class("-hidden")
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = parse_filter(event.value)
        self._show()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if not self.query_one("#filter", Input).value.strip():
            self.query_one("#filter", Input).add_class("-hidden")
        self.table.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if field.value:
            field.value = ""  # Input.Changed re-filters
        field.add_class("-hidden")
        self.table.focus()

    def action_sort(self) -> None:
        skip = frozenset() if self.overview else frozenset({"committee"})
        self._sort = next_sort(self._sort, skip)
        self._reverse = False
        self._show()

    def action_reverse(self) -> None:
        self._reverse = not self._reverse
        self._show()

    @on(RiskTable.HeaderClicked)
    def _header_clicked(self, message: RiskTable.HeaderClicked) -> None:
        if message.key not in SORT_BY_NAME:
            return
        if self._sort == message.key:
            self._reverse = not self._reverse
        else:
            self._sort, self._reverse = message.key, False
        self._show()

    # -- other screens -------------------------------------------------------------

    def _plan(self) -> PlanSnapshot | None:
        """The plan an action applies to: the plan shown, or in the overview the plan of
        the highlighted risk."""
        if self.overview:
            row = self.table.highlighted
            if row is None:
                self.app.notify("Ingen risk är markerad.", severity="warning")
                return None
            return self.snapshots.get(row.plan.id)
        if self.snapshot is None:
            self.app.notify("Registret är inte inläst ännu.", severity="warning")
        return self.snapshot

    def _single_plan(self) -> PlanSnapshot | None:
        """For actions on a whole plan, which the overview does not offer."""
        if self.overview:
            self.app.notify(
                "Översikten visar alla nämnders aktuella planer: välj en nämnd med n först.",
                severity="warning",
            )
            return None
        return self._plan()

    def _row(self) -> RegisterRow | None:
        row = self.table.highlighted
        if row is None:
            self.app.notify("Ingen risk är markerad.", severity="warning")
        return row

    @on(RiskTable.Selected)
    def _open_risk(self, message: RiskTable.Selected) -> None:
        from riskreg.tui.screens.detail import RiskDetailScreen

        row = message.row
        self.app.push_screen(
            RiskDetailScreen(self.ctx, row.plan, row.risk), lambda _: self.reload(row.ref)
        )

    def action_review(self) -> None:
        self.open_review(None)

    def open_review(self, number: int | None) -> None:
        """Review mode for ``number`` (default: the plan's first unlocked period)."""
        snapshot = self._plan()
        if snapshot is None:
            return
        if snapshot.plan.status is not PlanStatus.ADOPTED:
            self.app.notify(
                f"Planen för {snapshot.plan.year} är {snapshot.plan.status.value}: bara en "
                "fastställd plan följs upp."
                + (" Fastställ den med F." if snapshot.plan.status is PlanStatus.DRAFT else ""),
                severity="error",
            )
            return
        from riskreg.domain.register import current_period
        from riskreg.tui.screens.review import ReviewScreen

        chosen = number if number is not None else current_period(snapshot.plan)
        if self.overview:  # the overview holds only the latest reviews
            plan_id = snapshot.plan.id
            full = attempt(self, lambda: plans.load_plan_by_id(self.ctx, plan_id))
            if full is None:
                return
            snapshot = full
        self.app.push_screen(
            ReviewScreen(self.ctx, snapshot, chosen),
            lambda _: self.reload(),
        )

    def action_brutto(self) -> None:
        snapshot = self._plan()
        if snapshot is not None:
            flows.brutto_mode(self, self.ctx, snapshot, self.reload)

    def action_revisions(self) -> None:
        snapshot = self._plan()
        if snapshot is None:
            return
        from riskreg.tui.screens.revisions import RevisionsScreen

        self.app.push_screen(RevisionsScreen(snapshot.plan))

    def action_matrix(self) -> None:
        snapshot = self._plan()
        if snapshot is None:
            return
        from riskreg.tui.screens.matrix import MatrixScreen

        self.app.push_screen(MatrixScreen(self.ctx, snapshot), lambda _: self.reload())

    def action_isk(self) -> None:
        snapshot = self._plan()
        if snapshot is None:
            return
        from riskreg.tui.screens.isk import IskScreen

        self.app.push_screen(IskScreen(self.ctx, snapshot.plan))

    def action_pick_year(self) -> None:
        if self.committee is None or self._single_plan() is None:
            return
        try:
            known = plans.list_plans(self.ctx, self.committee)
        except RiskregError as exc:
            show_error(self.app, exc)
            return
        from riskreg.tui.screens.pick import PickScreen

        choices = [(p.year, f"{p.year} · {p.status.value}") for p in reversed(known)]

        def picked(year: int | None) -> None:
            if year is not None and year != self.year:
                self.year = year
                self.load()

        self.app.push_screen(
            PickScreen("Välj planår", choices, current=self.year, searchable=False), picked
        )

    def action_pick_committee(self) -> None:
        try:
            names = plans.committee_names(self.ctx)
        except RiskregError as exc:
            show_error(self.app, exc)
            return
        self._pick_committee(names, first=False)

    def _pick_committee(self, names: list[str], *, first: bool) -> None:
        from riskreg.tui.screens.pick import PickScreen

        def picked(name: str | None) -> None:
            if name is None:
                if first:
                    self.query_one("#register-counts", Static).update(
                        "Välj en nämnd med n för att visa dess plan."
                    )
                return
            if name != self.committee:
                self.committee, self.year = name, None
                self.load()

        choices = [(ALL, "Alla nämnder – översikt av aktuella planer")] + [(n, n) for n in names]
        self.app.push_screen(
            PickScreen("Välj nämnd", choices, current=self.committee, searchable=True),
            picked,
        )

    # -- plan editing --------------------------------------------------------------

    def action_add_risk(self) -> None:
        snapshot = self._single_plan()
        if snapshot is not None:
            flows.add_risk(self, self.ctx, snapshot.plan, self.reload)

    def action_edit_risk(self) -> None:
        snapshot, row = self._plan(), self._row()
        if snapshot is not None and row is not None:
            flows.edit_risk(self, self.ctx, snapshot.plan, row.risk, self.reload)

    def action_accept_risk(self) -> None:
        snapshot, row = self._plan(), self._row()
        if snapshot is not None and row is not None:
            flows.accept_risk(self, self.ctx, row.plan, row.risk, self.reload)

    def action_close_risk(self) -> None:
        snapshot, row = self._plan(), self._row()
        if snapshot is not None and row is not None:
            flows.close_or_reactivate(self, self.ctx, row.plan, row.risk, self.reload)

    def action_delete_risk(self) -> None:
        snapshot, row = self._plan(), self._row()
        if snapshot is not None and row is not None:
            flows.delete_risk(self, self.ctx, row.plan, row.risk, self.reload)

    def action_roles(self) -> None:
        from riskreg.tui.screens.roles import RolesScreen

        self.app.push_screen(RolesScreen(self.ctx), lambda _: self.reload())

    def action_adopt(self) -> None:
        snapshot = self._single_plan()
        if snapshot is not None:
            flows.adopt_plan(self, self.ctx, snapshot.plan, self._switch_to)

    def action_plan_setup(self) -> None:
        snapshot = self._single_plan()
        if snapshot is not None:
            flows.plan_setup(self, self.ctx, snapshot.plan, self._switch_to)

    def action_roll_forward(self) -> None:
        snapshot = self._single_plan()
        if snapshot is not None:
            flows.roll_forward(self, self.ctx, snapshot.plan, self._switch_to)

    def _switch_to(self, plan: PlanInfo) -> None:
        self.committee, self.year = plan.committee, plan.year
        self.load()

    def action_reload(self) -> None:
        self.reload()

    def reload_for_changes(self) -> None:
        if self.snapshot is not None or self.overview:
            self.reload()

    # -- command palette -----------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Uppföljning", "Första olåsta perioden i planen", self.action_review)
        if self.snapshot is not None and not self.overview:
            for period in self.snapshot.plan.periods:
                state = "låst" if period.locked else "öppen"
                yield SystemCommand(
                    f"Följ upp {period.label}",
                    f"Perioden är {state}",
                    partial(self.open_review, period.number),
                    discover=False,
                )
        yield SystemCommand(
            "Bruttobedömning",
            "Planens risker en i taget: sannolikhet och konsekvens före åtgärder",
            self.action_brutto,
        )
        yield SystemCommand("Riskmatris", "Brutto och netto i matrisens färger", self.action_matrix)
        yield SystemCommand(
            "ISK-bedömning",
            "Föreslaget betyg med skäl, nämndens slutsats och rapporten som PDF",
            self.action_isk,
        )
        yield SystemCommand("Filtrera risker", FILTER_HELP, self.action_filter)
        yield SystemCommand("Sortera", "Byt sorteringskolumn", self.action_sort)
        yield SystemCommand("Byt planår", "Visa en annan årsplan", self.action_pick_year)
        yield SystemCommand("Byt nämnd", "Visa en annan nämnds plan", self.action_pick_committee)
        yield SystemCommand("Ny risk", "Lägg till en risk i planen", self.action_add_risk)
        yield SystemCommand("Redigera risk", "Den markerade risken", self.action_edit_risk)
        yield SystemCommand(
            "Acceptera risk", "Vem beslutade, varför, till när", self.action_accept_risk
        )
        yield SystemCommand(
            "Avsluta eller återaktivera risk", "Den markerade risken", self.action_close_risk
        )
        yield SystemCommand(
            "Ta bort risk ur utkastet",
            "Den markerade risken, bara i ett utkast",
            self.action_delete_risk,
        )
        yield SystemCommand("Roller", "Ansvariga roller för åtgärder", self.action_roles)
        yield SystemCommand("Fastställ planen", "Ett utkast blir fastställt", self.action_adopt)
        yield SystemCommand(
            "Riskmatris och perioder",
            "Ett utkasts matris (3×3–5×5) och uppföljning per kvartal, tertial eller halvår",
            self.action_plan_setup,
        )
        yield SystemCommand(
            "Planens revisioner",
            "Ändringar i den fastställda planen: när, vad, varför och vem",
            self.action_revisions,
        )
        yield SystemCommand(
            "För över planen till nytt år",
            "Risker och åtgärder kopieras, bedömningar inte; den nya planen blir ett utkast",
            self.action_roll_forward,
        )
        yield SystemCommand("Läs in på nytt", "Hämta det som nu finns i registret", self.reload)
