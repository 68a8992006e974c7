"""The year's ISK-bedömning: the suggested grade with its reasons, the conclusion to edit,
and the PDF.

The suggestion and the stored conclusion load in a worker. Saving goes through
``services.isk.save_conclusion`` with the version the screen loaded, so a conclusion
changed elsewhere meanwhile is never overwritten (the conflict dialog offers to reload).
The PDF is laid out and written in a thread worker; the page count shows on the status
line while it runs, and a notification says where the file went or why it did not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Footer, Input, Select, Static, TextArea

from riskreg.domain.clock import local_stamp
from riskreg.domain.errors import ConflictError, RiskregError
from riskreg.domain.records import PlanInfo
from riskreg.domain.scales import PlanStatus
from riskreg.report.output import default_file_name, write_atomically
from riskreg.services import isk
from riskreg.services.context import Context
from riskreg.services.isk import DNR_MAX, HANDLER_MAX, ConclusionView
from riskreg.tui.model.forms import FormErrors
from riskreg.tui.model.isk import (
    NO_GRADE,
    ConclusionInput,
    conclusion_fields,
    field_of_error,
    grade_options,
)
from riskreg.tui.screens.base import BaseScreen, ask_to_discard, show_error
from riskreg.tui.widgets.form_field import FormField
from riskreg.tui.widgets.plain import PlainInput, PlainTextArea, one_line, paragraph, plain
from riskreg.tui.widgets.scroll import Scroll
from riskreg.tui.widgets.select import SwedishSelect
from riskreg.tui.widgets.suggestion import SuggestionView, grade_text
from riskreg.tui.widgets.swedish import SvButton

NOT_SAVED = "Rätta det som är markerat; inget har sparats."


class IskScreen(BaseScreen[None]):
    HELP = """
## ISK-bedömningen

**Ctrl+S** sparar, **w** skriver PDF (i ett textfält: Tab till knappen, eller Ctrl+P),
**Esc** tillbaka.

Överst det föreslagna betyget med utfallet för varje kriterium, under det nämndens
bedömning. Ett betyg som avviker från förslaget kräver en motivering. PDF:en visar den
sparade bedömningen; den skrivs i bakgrunden, också om du går tillbaka.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        Binding("escape", "back", "Tillbaka"),
        Binding("ctrl+s", "save", "Spara"),
        Binding("w", "write_pdf", "Skriv PDF"),
        Binding("ctrl+r", "reload", "Läs in på nytt", show=False),
    ]

    class _Fetched(Message):
        def __init__(self, view: ConclusionView, reset: bool) -> None:
            self.view = view
            self.reset = reset
            super().__init__()

    class _Failed(Message):
        def __init__(self, error: RiskregError) -> None:
            self.error = error
            super().__init__()

    class PdfProgress(Message):
        def __init__(self, pages: int) -> None:
            self.pages = pages
            super().__init__()

    class PdfFinished(Message):
        """The PDF worker is done: ``path`` is None when nothing was written."""

        def __init__(self, path: Path | None, status: str) -> None:
            self.path = path
            self.status = status
            super().__init__()

    def __init__(self, ctx: Context, plan: PlanInfo) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.view: ConclusionView | None = None
        self._loaded = ConclusionInput()
        self._writing: Path | None = None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Static(
            Text.assemble(
                ("riskreg · ISK-bedömning ", "bold"),
                f"{one_line(plan.committee)} {plan.year} ({plan.status.value})",
            ),
            classes="screen-title",
        )
        yield Static("Läser in bedömningen …", id="isk-summary", classes="counts")
        with Scroll(id="isk-body"):
            yield SuggestionView(id="isk-suggestion")
            yield Static("Nämndens bedömning", classes="section-title")
            yield FormField(
                "Betyg",
                SwedishSelect[str](
                    grade_options(None),
                    allow_blank=False,
                    value=NO_GRADE,
                    id="grade",
                    compact=True,
                ),
                key="grade",
            )
            yield _text_field(
                "Motivering",
                "motivation",
                "motivation",
                "Krävs om betyget avviker från det föreslagna.",
            )
            yield _text_field(
                "Förslag till beslut",
                "proposal",
                "proposal",
                "En ”att …”-sats per rad. Tomt ger standardförslaget.",
            )
            yield _text_field(
                "Intern styrning (krav a–b)",
                "governance",
                "governance",
                "Mål, uppdrag och budget enligt nämndens uppföljning. Tomt: ”Uppgift saknas”.",
            )
            yield FormField(
                "Handläggare (namn)",
                PlainInput(id="handler-name", max_length=HANDLER_MAX, compact=True),
                key="handler_name",
            )
            yield FormField(
                "Tjänsteställe (roll eller enhet)",
                PlainInput(id="handler", max_length=HANDLER_MAX, compact=True),
                key="handler",
            )
            yield FormField(
                "Sammanträdesdatum (ÅÅÅÅ-MM-DD)",
                PlainInput(
                    id="meeting-date", placeholder="ÅÅÅÅ-MM-DD", max_length=10, compact=True
                ),
                key="meeting_date",
            )
            yield FormField(
                "Dnr", PlainInput(id="dnr", max_length=DNR_MAX, compact=True), key="dnr"
            )
            yield _text_field("Skickas till", "send-to", "send_to", "En mottagare per rad.")
            yield Static("", id="isk-error")
            with Horizontal(id="isk-buttons"):
                yield SvButton("Spara (Ctrl+S)", id="save", variant="primary", compact=True)
                yield SvButton("Skriv PDF (w)", id="write", compact=True)
        yield Static("", id="isk-status", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#grade", Select).focus(scroll_visible=False)
        self.load(reset=True)

    # -- loading -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="isk-load")
    def load(self, reset: bool) -> None:
        try:
            view = isk.view_conclusion(self.ctx, self.plan.year, self.plan.committee)
        except RiskregError as exc:
            self.post_message(self._Failed(exc))
            return
        self.post_message(self._Fetched(view, reset))

    @on(_Fetched)
    def _fetched(self, message: _Fetched) -> None:
        first = self.view is None
        self.view = message.view
        grade = self.query_one("#grade", Select)
        chosen = grade.value
        with grade.prevent(Select.Changed):
            grade.set_options(grade_options(message.view.suggestion.grade))
            grade.value = chosen
        self.query_one(SuggestionView).show(message.view.suggestion)
        if first or message.reset:
            self._fill(ConclusionInput.of(message.view.conclusion.fields))
            self._show_errors(FormErrors())
        self._update_summary()

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        show_error(self.app, message.error)
        if self.view is None:
            self.query_one("#isk-summary", Static).update(
                Text.assemble(
                    ("Bedömningen kunde inte läsas: ", "bold"),
                    paragraph(str(message.error)),
                    "  Ctrl+R försöker igen.",
                )
            )

    # -- the form ------------------------------------------------------------------

    def _fill(self, typed: ConclusionInput) -> None:
        """Show ``typed`` as the loaded state. A field whose text does not change keeps
        its cursor (``set_stored``); each field gives its stored text back unchanged
        while it is left as shown."""
        if self.typed().grade != typed.grade:
            self.query_one("#grade", Select).value = typed.grade
        for widget_id, name in (
            ("motivation", "motivation"),
            ("proposal", "proposal"),
            ("governance", "governance"),
            ("send-to", "send_to"),
        ):
            self.query_one(f"#{widget_id}", PlainTextArea).set_stored(getattr(typed, name))
        for widget_id, name in (
            ("handler", "handler"),
            ("handler-name", "handler_name"),
            ("meeting-date", "meeting_date"),
            ("dnr", "dnr"),
        ):
            self.query_one(f"#{widget_id}", PlainInput).set_stored(getattr(typed, name))
        self._loaded = typed

    def typed(self) -> ConclusionInput:
        grade = self.query_one("#grade", Select).value
        return ConclusionInput(
            grade=grade if isinstance(grade, str) else NO_GRADE,
            motivation=self.query_one("#motivation", PlainTextArea).result,
            proposal=self.query_one("#proposal", PlainTextArea).result,
            handler=self.query_one("#handler", PlainInput).result,
            handler_name=self.query_one("#handler-name", PlainInput).result,
            governance=self.query_one("#governance", PlainTextArea).result,
            meeting_date=self.query_one("#meeting-date", PlainInput).result,
            dnr=self.query_one("#dnr", PlainInput).result,
            send_to=self.query_one("#send-to", PlainTextArea).result,
        )

    @property
    def dirty(self) -> bool:
        return self.view is not None and self.typed() != self._loaded

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        self._update_summary()

    def _update_summary(self) -> None:
        if self.view is None:
            return
        conclusion, suggestion = self.view.conclusion, self.view.suggestion
        saved = Text(no_wrap=True, overflow="ellipsis")
        saved.append("Sparat: ", style="bold")
        stored = conclusion.fields.grade
        if not conclusion.stored:
            saved.append("ingen bedömning ännu", style="italic")
        else:
            if stored is None:
                saved.append("inget betyg", style="italic")
            else:
                saved.append_text(grade_text(stored))
            if conclusion.updated_at is not None:
                by = one_line(conclusion.updated_by or "")
                saved.append(
                    f" · {local_stamp(conclusion.updated_at)} av {by}, "
                    f"version {conclusion.version}",
                    style="dim",
                )
        suggested = Text(no_wrap=True, overflow="ellipsis")
        suggested.append("Föreslaget: ", style="bold")
        suggested.append_text(grade_text(suggestion.grade))
        if stored is not None and stored is not suggestion.grade:
            suggested.append(" · det sparade betyget avviker", style="bold")
        if self.plan.status is PlanStatus.DRAFT:
            suggested.append(" · planen är ett utkast och kan inte bedömas än", style="bold")
        if self.dirty:
            suggested.append(" · ● ändrat, inte sparat", style="bold")
        line = Text("\n", no_wrap=True, overflow="ellipsis").join([saved, suggested])
        self.query_one("#isk-summary", Static).update(line, layout=False)

    def _show_errors(self, errors: FormErrors, message: str = NOT_SAVED) -> None:
        first: FormField | None = None
        for field in self.query(FormField):
            error = errors.fields.get(field.key)
            field.set_error(error)
            if error and first is None:
                first = field
        if first is not None:
            focusable = [w for w in first.query("*") if w.can_focus]
            if focusable:
                focusable[0].focus()
            first.scroll_visible()
        self.query_one("#isk-error", Static).update(plain(message) if errors else "")
        if errors:  # the line under the form may be out of sight on a small terminal
            self.app.notify(message, title="Inte sparat", severity="warning")

    # -- saving --------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        view = self.view
        if view is None:
            self.app.notify("Bedömningen är inte inläst ännu.", severity="warning")
            return
        fields, errors = conclusion_fields(self.typed())
        self._show_errors(errors)
        if fields is None:
            return
        try:
            saved = isk.save_conclusion(
                self.ctx,
                view.conclusion.plan_id,
                fields,
                expected_version=view.conclusion.version,
            )
        except ConflictError as exc:
            self._conflict(exc)
            return
        except RiskregError as exc:
            name = field_of_error(str(exc))
            if name is None:
                self.query_one("#isk-error", Static).update(plain(f"{exc} Inget har sparats."))
                show_error(self.app, exc)
            else:
                self._show_errors(FormErrors({name: str(exc)}))
            return
        self.view = replace(view, conclusion=saved)
        self._fill(ConclusionInput.of(saved.fields))
        self._update_summary()
        self.app.notify(
            f"ISK-bedömningen för {saved.year} är sparad (version {saved.version}).",
            title="Sparat",
        )
        chosen = saved.fields.grade
        if chosen is not None and chosen is not view.suggestion.grade:
            self.app.notify(
                f"Betyget avviker från det föreslagna (”{view.suggestion.grade.value}”); "
                "motiveringen skrivs ut i rapporten."
            )

    def _conflict(self, exc: ConflictError) -> None:
        from riskreg.tui.screens.dialogs import ConflictScreen

        def done(reload: bool | None) -> None:
            if reload:
                self.load(reset=True)

        self.query_one("#isk-error", Static).update(plain(f"{exc} Inget har sparats."))
        self.app.push_screen(ConflictScreen(str(exc)), done)

    # -- the PDF -------------------------------------------------------------------

    @on(Button.Pressed, "#write")
    def action_write_pdf(self) -> None:
        if self.view is None:
            self.app.notify("Bedömningen är inte inläst ännu.", severity="warning")
            return
        if self._writing is not None:
            self.app.notify(f"PDF:en skrivs redan till {self._writing}.", severity="warning")
            return
        from riskreg.tui.screens.export import ExportPathScreen

        warning = (
            "Formuläret har ändringar som inte är sparade. PDF:en visar den sparade "
            "bedömningen: spara först (Ctrl+S) om ändringarna ska med."
            if self.dirty
            else ""
        )

        def chosen(target: Path | None) -> None:
            if target is not None:
                self.start_pdf(target)

        self.app.push_screen(
            ExportPathScreen(
                f"Skriv ISK-bedömningen {self.plan.year} som PDF",
                default_file_name(self.plan.committee, self.plan.year),
                Path.cwd(),
                warning=warning,
            ),
            chosen,
        )

    def start_pdf(self, target: Path) -> None:
        self._writing = target
        self.query_one("#write", Button).disabled = True
        self._status(f"Skriver PDF: läser registret … ({target.name})")
        self.write_pdf(target)

    @work(thread=True, group="isk-pdf")
    def write_pdf(self, target: Path) -> None:
        """Lay out and write the PDF. Notifies through the app (thread-safe), so the
        user hears about it even after leaving this screen."""
        app = self.app

        def progress(page: int) -> None:
            self.post_message(self.PdfProgress(page))  # thread-safe

        try:
            from riskreg.report.isk_pdf import render_isk

            report = isk.build_report(self.ctx, self.plan.year, self.plan.committee)
            progress(0)
            rendered = render_isk(report, progress=progress)
            write_atomically(target, rendered.pdf)
        except RiskregError as exc:
            app.notify(
                f"PDF:en skrevs inte: {exc}", title="Det gick inte", severity="error", timeout=10
            )
            self.post_message(self.PdfFinished(None, f"PDF:en skrevs inte: {exc}"))
            return
        except Exception as exc:  # a fault in the layout must not take the app down
            app.notify(
                f"PDF:en skrevs inte: oväntat fel ({type(exc).__name__}: {exc}).",
                title="Det gick inte",
                severity="error",
                timeout=10,
            )
            self.post_message(self.PdfFinished(None, "PDF:en skrevs inte: oväntat fel."))
            return
        example = ", exempeldata" if report.example_data else ""
        app.notify(f"PDF skriven: {target}", title=f"ISK-bedömning {report.year}", timeout=10)
        self.post_message(
            self.PdfFinished(target, f"PDF skriven ({rendered.pages} sidor{example}): {target}")
        )

    @on(PdfProgress)
    def _pdf_progress(self, message: PdfProgress) -> None:
        name = self._writing.name if self._writing else ""
        if message.pages == 0:
            self._status(f"Skriver PDF: sätter sidorna … ({name})")
        else:
            self._status(f"Skriver PDF: {message.pages} sidor klara … ({name})")

    @on(PdfFinished)
    def _pdf_finished(self, message: PdfFinished) -> None:
        self._writing = None
        self.query_one("#write", Button).disabled = False
        self._status(message.status)

    def _status(self, text: str) -> None:
        status = self.query_one("#isk-status", Static)
        status.update(plain(text))  # it names the file, as typed
        status.set_class(not text, "-hidden")

    # -- leaving, reloading, palette -------------------------------------------------

    def action_back(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        ask_to_discard(
            self.app,
            lambda: self.dismiss(None),
            title="Lämna ISK-bedömningen?",
            message="Det du har ändrat i formuläret är inte sparat och försvinner.",
            confirm="Lämna utan att spara",
        )

    def action_reload(self) -> None:
        if not self.dirty:
            self.load(reset=True)
            return
        ask_to_discard(
            self.app,
            lambda: self.load(reset=True),
            title="Läsa in bedömningen på nytt?",
            message="Det du har ändrat i formuläret är inte sparat och ersätts med det som "
            "finns i registret.",
            confirm="Läs in på nytt",
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Spara ISK-bedömningen", "Betyg, motivering och PM", self.action_save)
        yield SystemCommand(
            "Skriv ISK-bedömningen som PDF",
            "Föredragnings-PM, bedömning, riskkartor och registret",
            self.action_write_pdf,
        )
        yield SystemCommand(
            "Läs in på nytt", "Hämta det som nu finns i registret", self.action_reload
        )
        yield SystemCommand("Tillbaka till registret", "", self.action_back)


def _text_field(label: str, widget_id: str, key: str, hint: str) -> FormField:
    """A labelled multi-line field of the conclusion form."""
    return FormField(
        label, PlainTextArea(id=widget_id, soft_wrap=True, compact=True), key=key, hint=hint
    )
