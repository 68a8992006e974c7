"""The TUI's pure view models: register rows, filters, sorting, review drafts, form checks."""

from __future__ import annotations

from datetime import date

from riskreg.domain.records import Assessment
from riskreg.domain.register import current_period
from riskreg.domain.scales import MeasureKind, MeasureStatus
from riskreg.services import plans, reviews
from riskreg.services.context import Context
from riskreg.tui.model.forms import acceptance_input, measure_fields, risk_fields
from riskreg.tui.model.history import describe_change
from riskreg.tui.model.review import build_review
from riskreg.tui.model.rows import (
    apply_filter,
    build_rows,
    count_rows,
    next_sort,
    parse_filter,
    sort_rows,
)


def _reviewed(ctx: Context) -> None:
    snap = plans.load_plan(ctx, 2024)
    by_ref = {r.ref: r for r in snap.risks}
    plan_id = snap.plan.id
    reviews.record_risk_review(ctx, plan_id, by_ref["HR-01"].id, 1, 2, 2)
    reviews.record_risk_review(ctx, plan_id, by_ref["HR-01"].id, 2, 3, 4)
    reviews.record_risk_review(ctx, plan_id, by_ref["EK-01"].id, 1, 4, 4)
    for measure in by_ref["HR-01"].measures:
        reviews.record_measure_review(ctx, plan_id, measure.id, 1, MeasureStatus.IN_PROGRESS)
    reviews.record_measure_review(
        ctx, plan_id, by_ref["HR-01"].measures[0].id, 2, MeasureStatus.DONE
    )


def test_rows_carry_netto_level_trend_and_measures(ctx: Context) -> None:
    _reviewed(ctx)
    rows = {r.ref: r for r in build_rows(plans.load_plan(ctx, 2024))}
    hr = rows["HR-01"]
    assert hr.netto == Assessment(3, 4)
    assert hr.level_name == "Mycket hög"
    assert hr.trend is not None and hr.trend.arrow == "↑"
    assert (hr.measures_done, hr.measures_total) == (1, 3)
    assert hr.roles == ("Fördelande chef", "Varje chef")
    assert rows["EK-02"].netto is None and rows["EK-02"].trend is None


def test_filter_by_text_area_role_level_and_status(ctx: Context) -> None:
    _reviewed(ctx)
    rows = build_rows(plans.load_plan(ctx, 2024))
    refs = lambda text: [r.ref for r in apply_filter(rows, parse_filter(text))]  # noqa: E731
    assert refs("") == [r.ref for r in rows]
    assert refs("verksamhet:ekonomi") == ["EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07"]
    assert refs("v:HR") == ["HR-01"]
    assert refs('roll:"varje chef"') == ["HR-01"]
    assert refs("nivå:mycket") == ["HR-01", "EK-01"]
    assert "EK-02" in refs("nivå:ingen") and "HR-01" not in refs("nivå:ingen")
    assert refs("ANTIBIOTIKA") == ["PS-01"]
    assert refs("kontanta v:ekonomi") == ["EK-02"]
    assert refs("status:accepterad") == []
    # an unfinished quote while typing is no error
    assert refs('roll:"varje') == ["HR-01"]


def test_sorting_is_swedish_and_stable(ctx: Context) -> None:
    _reviewed(ctx)
    rows = build_rows(plans.load_plan(ctx, 2024))
    by_area = [r.area for r in sort_rows(rows, "area")]
    # Hälsofrämjande before HR? "hä" sorts after "hr" in Swedish (ä after z).
    assert by_area.index("HR") < by_area.index("Hälsofrämjande")
    # netto starts with the highest (a meeting reads from the top); reversed, the lowest
    by_netto = sort_rows(rows, "netto")
    values = [r.netto.value for r in by_netto if r.netto is not None]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    assert by_netto[-1].netto is None  # not assessed: last
    lowest = [r.netto.value for r in sort_rows(rows, "netto", reverse=True) if r.netto]
    assert lowest == sorted(values)
    assert sort_rows(rows, "plan") == rows
    assert next_sort("plan") == "ref" and next_sort("reviewed") == "plan"


def test_counts(ctx: Context) -> None:
    _reviewed(ctx)
    snap = plans.load_plan(ctx, 2024)
    rows = build_rows(snap)
    counts = count_rows(rows, rows[:3], snap.plan.matrix)
    assert (counts.total, counts.shown, counts.unassessed) == (19, 3, 17)
    assert counts.per_level == (0, 0, 0, 2)


def test_review_state_carries_previous_quarter(ctx: Context) -> None:
    _reviewed(ctx)
    snap = plans.load_plan(ctx, 2024)
    state = build_review(snap, 3)
    hr = next(d for d in state.risks if d.risk.ref == "HR-01")
    assert hr.netto_carried and hr.netto == Assessment(3, 4) and hr.version == 0
    assert hr.marker == "↻"
    assert [m.status for m in hr.measures] == [
        MeasureStatus.DONE,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.IN_PROGRESS,
    ]
    assert all(m.is_carried for m in hr.measures)
    ek2 = next(d for d in state.risks if d.risk.ref == "EK-02")
    assert ek2.netto is None and ek2.marker == "·"
    assert state.progress == "0 av 19 bedömda"
    kv2 = build_review(snap, 2)
    hr2 = next(d for d in kv2.risks if d.risk.ref == "HR-01")
    assert hr2.assessed and hr2.marker == "◐" and hr2.version == 1
    assert current_period(snap.plan) == 1


def test_form_checks_name_the_field() -> None:
    fields, errors = risk_fields(
        area=None, text="  ", region_wide=False, requirement=None, likelihood=3, consequence=None
    )
    assert fields is None
    assert set(errors.fields) == {"area", "text", "brutto"}
    fields, errors = risk_fields(
        area="HR", text="Ny  risk", region_wide=True, requirement="c", likelihood=2, consequence=3
    )
    assert not errors and fields is not None and fields.text == "Ny risk"
    assert fields.brutto == Assessment(2, 3)
    _, errors = measure_fields(
        text="x", kind=MeasureKind.ONE_OFF, frequency=None, due="31/12", roles=(), region_wide=False
    )
    assert "ÅÅÅÅ-MM-DD" in errors.fields["due"]
    _, errors = acceptance_input(by="", reason="", until="2020-31-01")
    assert set(errors.fields) == {"by", "reason", "until"}
    # a passed date records an old decision (the service flags it as expired)
    value, errors = acceptance_input(by="Nämnden", reason="Låg risk", until="2020-01-01")
    assert not errors and value is not None and value.until == date(2020, 1, 1)


def test_audit_change_text() -> None:
    assert describe_change(
        {"sannolikhet": 2, "kommentar": ""}, {"sannolikhet": 3, "kommentar": ""}
    ) == ("sannolikhet 2 → 3")
    assert describe_change(None, {"status": "pågående", "avvikelse": None}) == "status pågående"
    assert describe_change({"låst": True}, {"låst": False, "motivering": "fel"}) == (
        "låst ja → nej; motivering – → fel"
    )


def test_review_says_which_åtgärder_the_quarter_leaves_out(ctx: Context) -> None:
    snap = plans.load_plan(ctx, 2024)
    hr = snap.risk("HR-01")
    reviews.record_measure_review(ctx, snap.plan.id, hr.measures[2].id, 1, MeasureStatus.DROPPED)
    state = build_review(plans.load_plan(ctx, 2024), 2)
    draft = next(d for d in state.risks if d.risk.ref == "HR-01")
    assert [m.measure.id for m in draft.measures] == [m.id for m in hr.measures[:2]]
    assert draft.measures_finished == 1 and draft.measures_added_later == 0
    assert draft.left_out_note == (
        "1 åtgärd är avklarad (genomförd eller utgår) och följs inte upp igen."
    )
    ek = next(d for d in state.risks if d.risk.ref == "EK-01")
    assert ek.left_out_note == ""


def test_the_log_names_the_atgard_and_the_verksamhet(ctx: Context) -> None:
    from riskreg.services import editing
    from riskreg.tui.model.history import audit_lines

    snap = plans.load_plan(ctx, 2024)
    hr = snap.risk("HR-01")
    reviews.record_measure_review(ctx, snap.plan.id, hr.measures[1].id, 1, MeasureStatus.DONE)
    editing.update_risk(
        ctx,
        snap.plan.id,
        hr.id,
        hr.version,
        editing.RiskFields(area="Ekonomi", text=hr.text),
        reason="Flyttad till ekonomi.",
    )
    history = plans.risk_history(ctx, "HR-01")
    lines = audit_lines(history)
    measure = next(line for line in lines if line.action == "följde upp åtgärd")
    assert measure.about == "åtgärd 2: Varje chef ska årligen följa upp sitt arbetsmil…"
    moved = next(line for line in lines if "verksamhet" in line.change)
    assert "verksamhet HR → Ekonomi" in moved.change
    assert "_id" not in moved.change


def test_notices_name_what_changes_the_meeting_and_sum_up_the_answers() -> None:
    from riskreg.services.watching import Change
    from riskreg.tui.model.changes import notice

    answers = [
        Change(1, "controller1", "bedömde risk", "risk", "HR-01 2024 kv 2"),
        Change(2, "controller1", "följde upp åtgärd", "åtgärd", "HR-01 2024 kv 2"),
    ]
    assert notice(answers) == "controller1 sparade 2 svar (senast HR-01 2024 kv 2)"
    locked = Change(3, "controller2", "låste period", "period", "HSN 2024 kv 2")
    assert notice([*answers, locked]) == "HSN 2024 kv 2 låstes av controller2"
