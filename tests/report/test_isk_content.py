"""The ISK report as a record: figures, grouping, the suggested grade, gaps, changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from riskreg.db.models import AuditEntry, Committee
from riskreg.domain.errors import ConflictError, InvalidInput, NotFound
from riskreg.domain.isk import (
    WORKING_TEXT,
    ConclusionFields,
    Coverage,
    Grade,
    IskConclusion,
    KeyFigures,
    PeriodCoverage,
    Tally,
    parse_grade,
    suggest,
    working,
)
from riskreg.domain.isk_content import build_content
from riskreg.domain.matrix import default_matrix
from riskreg.domain.records import (
    Acceptance,
    Assessment,
    PeriodInfo,
    PeriodRef,
    PlanInfo,
    PlanMeasure,
    PlanRisk,
    PlanSnapshot,
    RiskReviewRecord,
)
from riskreg.domain.scales import (
    ControlResult,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    RiskStatus,
    Severity,
)
from riskreg.services import building, editing, plans, reviews
from riskreg.services.context import Context
from riskreg.services.examples import add_examples, remove_examples
from riskreg.services.isk import (
    build_report,
    get_conclusion,
    save_conclusion,
    view_conclusion,
)

SEEDED_2024_REFS = {
    "HR-01", "EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07", "IS-01", "KU-01",
    "PS-01", "PS-02", "PS-04", "KS-01", "HF-01", "HF-02", "HF-03", "MT-01", "FU-01", "FU-02",
}  # fmt: skip


# -- the example year ----------------------------------------------------------------------


def test_example_year_figures(examples_ctx: Context) -> None:
    report = build_report(examples_ctx, 2024)
    f = report.figures
    assert (f.risks, f.areas, f.measures, f.recurring) == (19, 9, 27, 19)
    assert (f.accepted, f.region_wide, f.closed) == (1, 1, 0)
    assert {t.label: t.count for t in f.deviations_by_severity} == {
        "allvarlig": 1,
        "måttlig": 1,
        "liten": 2,
    }
    assert f.deviations == 4
    assert sum(t.count for t in f.measures_by_status) == 27
    assert dict((t.label, t.count) for t in f.measures_by_status)["ej uppföljd"] == 0
    assert (f.carried_out, f.counted) == (24, 27)
    assert report.example_data
    assert report.coverage.complete and not report.coverage.statements()
    assert {r.ref for r in report.register} == SEEDED_2024_REFS
    assert report.brutto_map.assessed == 19 and report.netto_map.assessed == 19
    assert report.netto_map.cell(3, 4).refs == ("IS-01", "MT-01")
    assert [a.ref for a in report.accepted] == ["HF-03"]
    assert report.accepted[0].by == "Hälso- och sjukvårdsdirektören"


def test_example_year_suggests_insufficient_with_reasons(examples_ctx: Context) -> None:
    """MT-01 is red and its only åtgärd, a one-off, is still pågående at the year's end:
    not a fungerande åtgärd. The example controller overrules with a motivation."""
    report = build_report(examples_ctx, 2024)
    suggestion = report.suggestion
    assert suggestion.grade is Grade.INSUFFICIENT
    caps = {f.criterion: f.cap for f in suggestion.findings}
    assert caps == {
        "Verkställda åtgärder": Grade.MOSTLY,  # 24 of 27 = 89 %
        "Röda nettorisker": Grade.INSUFFICIENT,  # MT-01 without a working åtgärd
        "Allvarliga avvikelser": Grade.MOSTLY,
        "Risker som aldrig bedömts": Grade.SUFFICIENT,
        "Uppföljningens fullständighet": Grade.SUFFICIENT,
    }
    red = next(f for f in suggestion.findings if f.criterion == "Röda nettorisker")
    assert "utan fungerande åtgärd: MT-01" in red.observed
    assert report.grade is Grade.MOSTLY and report.overruled
    assert "engångsåtgärden" in report.conclusion.fields.motivation


@pytest.mark.parametrize(
    ("kind", "status", "result", "counts"),
    [
        (MeasureKind.ONE_OFF, MeasureStatus.IN_PROGRESS, None, False),
        (MeasureKind.ONE_OFF, MeasureStatus.DONE, None, True),
        (MeasureKind.RECURRING, MeasureStatus.IN_PROGRESS, ControlResult.NO_REMARK, True),
        (MeasureKind.RECURRING, MeasureStatus.IN_PROGRESS, ControlResult.NOT_PERFORMED, False),
        (MeasureKind.RECURRING, MeasureStatus.DONE, None, True),
        (MeasureKind.RECURRING, MeasureStatus.NOT_STARTED, None, False),
    ],
)
def test_a_fungerande_åtgärd_is_defined_once(
    kind: MeasureKind, status: MeasureStatus, result: ControlResult | None, counts: bool
) -> None:
    review = SimpleNamespace(status=status, result=result)
    assert working(kind, review) is counts  # type: ignore[arg-type]
    assert working(kind, None) is False
    assert "engångsåtgärd som fortfarande pågår räknas inte" in WORKING_TEXT


def test_areas_and_risks_are_grouped_and_sorted_the_swedish_way(examples_ctx: Context) -> None:
    report = build_report(examples_ctx, 2024)
    assert [a.name for a in report.areas] == [
        "Ekonomi",
        "Forskning, utbildning och innovation",
        "HR",
        "Hälsofrämjande",
        "Informationssäkerhet",
        "Kunskapsstyrning",
        "Kvalitet och utveckling",
        "Medicinteknisk säkerhet",
        "Patientsäkerhet",
    ]
    ekonomi = report.areas[0]
    assert [r.ref for r in ekonomi.risks] == ["EK-01", "EK-02", "EK-03", "EK-04", "EK-06", "EK-07"]
    # Quarterly netto and measure statuses are laid out per quarter.
    ek02 = ekonomi.risks[1]
    assert len(ek02.netto) == 4 and all(ek02.netto)
    assert ek02.measures[0].periods[1] is not None
    assert ek02.measures[0].periods[1].severity is Severity.MODERATE


def test_swedish_collation_of_area_names() -> None:
    names = ["Övrigt", "Ärenden", "Åtgärder", "Zoner", "Ekonomi"]
    risks = tuple(_risk(f"X{i}-01", name) for i, name in enumerate(names))
    report = build_content(_snapshot(risks), _conclusion())
    assert [a.name for a in report.areas] == ["Ekonomi", "Zoner", "Åtgärder", "Ärenden", "Övrigt"]


def test_changes_since_the_previous_plan_year(examples_ctx: Context) -> None:
    changes = build_report(examples_ctx, 2024).changes
    assert changes is not None and changes.previous_year == 2022
    assert [r.ref for r in changes.new] == ["EK-06", "EK-07", "FU-01", "FU-02"]
    assert [r.ref for r in changes.dropped] == [
        "EK-05",
        "HR-02",
        "KS-02",
        "MI-01",
        "PS-03",
        "PS-05",
        "PS-06",
    ]
    changed = {c.ref: c for c in changes.changed}
    assert "nu regionövergripande" in changed["HR-01"].what
    assert "ny lydelse" in changed["PS-02"].what  # "rubusta" became "robusta"
    assert changes.unchanged + len(changes.changed) + len(changes.new) == 19


# -- gaps ----------------------------------------------------------------------------------


def test_a_year_without_reviews_says_so_and_is_not_sufficient(report_ctx: Context) -> None:
    report = build_report(report_ctx, 2024)
    assert not report.example_data
    assert all(q.empty for q in report.coverage.periods)
    assert len(report.coverage.never_reviewed) == 19
    statements = report.coverage.statements()
    assert statements[0] == "Inget kvartal under året är uppföljt."
    assert any("har inte bedömts någon gång under året" in s for s in statements)
    assert report.suggestion.grade is Grade.INSUFFICIENT
    assert report.grade is None
    assert "betyg" in report.missing_fields
    assert any("Uppföljningen är inte fullständig" in p for p in report.summary)
    assert any("Ingen uppföljning av planen är registrerad" in p for p in report.summary)
    assert not any("nivån mycket hög" in p for p in report.summary)


def test_an_incomplete_year_names_what_is_missing(incomplete_ctx: Context) -> None:
    report = build_report(incomplete_ctx, 2024)
    q1, q2, q3, q4 = report.coverage.periods
    assert q1.complete and q2.complete
    assert (q3.risks_reviewed, q3.risks_expected, q3.missing_risks) == (18, 19, ("HR-01",))
    assert q3.measures_reviewed == 0 and q4.empty
    statements = report.coverage.statements()
    assert statements[0].startswith("Kvartal 3: 1 av 19 risker saknar nettobedömning (HR-01)")
    assert "Kvartal 4 är inte uppföljt alls." in statements
    assert report.coverage.never_reviewed == ()
    fullness = next(
        f for f in report.suggestion.findings if f.criterion == "Uppföljningens fullständighet"
    )
    assert fullness.cap is Grade.MOSTLY and "kv 3, kv 4" in fullness.observed
    # The 19 recurring controls were performed; the 8 one-off åtgärder are still pågående.
    assert (report.figures.carried_out, report.figures.counted) == (19, 27)
    assert report.suggestion.grade is Grade.MOSTLY


def test_an_empty_or_unknown_year_is_a_clear_error(report_ctx: Context) -> None:
    with report_ctx.transaction() as session:
        committee = session.scalars(select(Committee)).one()
        building.create_plan(session, committee, 2025, report_ctx.clock())
    with pytest.raises(InvalidInput, match="Planen för 2025 har inga risker"):
        build_report(report_ctx, 2025)
    with pytest.raises(NotFound, match="ingen plan för 2019"):
        build_report(report_ctx, 2019)
    with pytest.raises(NotFound, match="Okänd nämnd"):
        build_report(report_ctx, 2024, "Kulturnämnden")


# -- the rule ------------------------------------------------------------------------------


def _figures(done: int, counted: int, risks: int = 10) -> KeyFigures:
    return KeyFigures(
        risks=risks,
        areas=1,
        region_wide=0,
        accepted=0,
        closed=0,
        measures=counted,
        recurring=0,
        without_role=0,
        measures_by_status=(),
        carried_out=done,
        counted=counted,
        deviations_by_severity=(Tally("allvarlig", 0),),
        brutto_by_level=(),
        netto_by_level=(),
    )


def _coverage(complete: bool = True, never: tuple[str, ...] = ()) -> Coverage:
    quarters = tuple(
        PeriodCoverage(q, 10 if complete or q < 4 else 5, 10, 10, 10, True, ())
        for q in (1, 2, 3, 4)
    )
    return Coverage(quarters, never)


@pytest.mark.parametrize(
    ("done", "red_without", "red_with", "serious", "complete", "never", "expected"),
    [
        (10, (), (), 0, True, (), Grade.SUFFICIENT),
        (9, (), (), 0, True, (), Grade.SUFFICIENT),  # 90 % is enough
        (8, (), (), 0, True, (), Grade.MOSTLY),
        (6, (), (), 0, True, (), Grade.MOSTLY),  # 60 % still "i allt väsentligt"
        (5, (), (), 0, True, (), Grade.INSUFFICIENT),
        (10, ("A-01",), (), 0, True, (), Grade.INSUFFICIENT),
        (10, (), ("A-01",), 0, True, (), Grade.MOSTLY),
        (10, (), (), 1, True, (), Grade.MOSTLY),
        (10, (), (), 3, True, (), Grade.INSUFFICIENT),
        (10, (), (), 0, False, (), Grade.MOSTLY),
        (10, (), (), 0, True, ("A-01",), Grade.MOSTLY),
        (10, (), (), 0, True, ("A-01", "A-02", "A-03"), Grade.INSUFFICIENT),  # 30 % > 25 %
    ],
)
def test_the_suggestion_rule(
    done: int,
    red_without: tuple[str, ...],
    red_with: tuple[str, ...],
    serious: int,
    complete: bool,
    never: tuple[str, ...],
    expected: Grade,
) -> None:
    result = suggest(_figures(done, 10), _coverage(complete, never), red_without, red_with, serious)
    assert result.grade is expected
    assert len(result.findings) == 5
    assert all(f.cap.rank <= result.grade.rank for f in result.findings)


def test_grades_parse_as_users_type_them() -> None:
    assert parse_grade("Tillräcklig") is Grade.SUFFICIENT
    assert parse_grade("i-allt-väsentligt-tillräcklig") is Grade.MOSTLY
    assert parse_grade("  INTE tillräcklig ") is Grade.INSUFFICIENT
    with pytest.raises(InvalidInput, match="Okänt betyg"):
        parse_grade("godkänd")
    assert Grade.MOSTLY.label == "I allt väsentligt tillräcklig"


# -- the stored conclusion -----------------------------------------------------------------


def test_the_conclusion_is_stored_with_audit_and_version(report_ctx: Context) -> None:
    empty = get_conclusion(report_ctx, 2024)
    assert not empty.stored and empty.fields == ConclusionFields()
    fields = ConclusionFields(
        grade=Grade.INSUFFICIENT,  # what the unreviewed year suggests: no motivation needed
        handler="Hälso- och sjukvårdsförvaltningen, verksamhetscontroller",
        meeting_date=date(2025, 2, 12),
        dnr=" 24RS12345 ",
        send_to=("Regionstyrelsen; Revisorerna",),
        proposal="att godkänna bedömningen\n\natt överlämna den till regionstyrelsen",
    )
    saved = save_conclusion(report_ctx, empty.plan_id, fields, expected_version=0)
    assert saved.version == 1 and saved.updated_by == "controller"
    assert saved.fields.dnr == "24RS12345"
    assert saved.fields.send_to == ("Regionstyrelsen", "Revisorerna")
    assert saved.fields.proposal.splitlines() == [
        "att godkänna bedömningen",
        "att överlämna den till regionstyrelsen",
    ]
    assert get_conclusion(report_ctx, 2024) == saved
    with report_ctx.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "isk-bedömning")
        ).one()
        assert entry.action == "lade till ISK-bedömning" and entry.entity_ref == "HSN 2024"
        assert entry.after is not None and entry.after["betyg"] == "inte tillräcklig"

    with pytest.raises(ConflictError):
        save_conclusion(report_ctx, empty.plan_id, fields, expected_version=0)
    again = save_conclusion(
        report_ctx, empty.plan_id, replace(fields, dnr="24RS1"), expected_version=1
    )
    assert again.version == 2
    report = build_report(report_ctx, 2024)
    assert report.dnr == "24RS1" and report.grade is Grade.INSUFFICIENT
    assert report.proposal[0] == "att godkänna bedömningen"
    assert "betyg" not in report.missing_fields


def test_overruling_the_suggestion_needs_a_motivation(report_ctx: Context) -> None:
    plan_id = get_conclusion(report_ctx, 2024).plan_id
    with pytest.raises(InvalidInput, match="skriv en motivering"):
        save_conclusion(report_ctx, plan_id, ConclusionFields(grade=Grade.SUFFICIENT))
    saved = save_conclusion(
        report_ctx,
        plan_id,
        ConclusionFields(grade=Grade.SUFFICIENT, motivation="Uppföljningen gjordes på papper."),
    )
    view = view_conclusion(report_ctx, 2024)
    assert view.conclusion == saved and view.suggestion.grade is Grade.INSUFFICIENT
    report = build_report(report_ctx, 2024)
    assert report.overruled
    assert any("avviker från det betyg" in p for p in report.summary)


def test_conclusion_input_is_checked(report_ctx: Context) -> None:
    plan_id = get_conclusion(report_ctx, 2024).plan_id
    with pytest.raises(InvalidInput, match="före planåret"):
        save_conclusion(report_ctx, plan_id, ConclusionFields(meeting_date=date(2023, 12, 1)))
    with pytest.raises(InvalidInput, match="Diarienumret"):
        save_conclusion(report_ctx, plan_id, ConclusionFields(dnr="X" * 41))
    draft = editing.roll_forward(report_ctx, plan_id, 2025)
    with pytest.raises(InvalidInput, match="utkast"):
        save_conclusion(report_ctx, draft.plan.id, ConclusionFields(dnr="25RS1"))


# -- example data --------------------------------------------------------------------------


def test_examples_are_idempotent_flagged_and_audited(examples_ctx: Context) -> None:
    again = add_examples(examples_ctx, 2024)
    assert not again.added and "fanns redan" in str(again)
    with examples_ctx.reading() as session:
        flags = [
            e.entity_ref
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.action == "lade till exempeldata")
            )
        ]
        review_entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "bedömde risk")
        ).all()
    assert flags == ["HSN 2024"]
    assert len(review_entries) == 19 * 4  # written through the review service
    snapshot = plans.load_plan(examples_ctx, 2024)
    assert all(p.locked for p in snapshot.plan.periods)
    assert all(r.brutto is not None for r in snapshot.risks)
    assert all(r.comment.startswith("Exempeldata") for s in snapshot.risks for r in s.reviews)
    # Attributed to "exempeldata", dated at the end of their quarter inside the plan year.
    q3 = [r for s in snapshot.risks for r in s.reviews if r.period.number == 3]
    assert {(r.reviewed_by, r.reviewed_at.date().isoformat()) for r in q3} == {
        ("exempeldata", "2024-09-30")
    }
    assert snapshot.plan.example_data
    conclusion = get_conclusion(examples_ctx, 2024)
    assert conclusion.fields.grade is Grade.MOSTLY
    assert conclusion.fields.motivation.startswith("Exempeldata")


def test_examples_are_deterministic(examples_ctx: Context, report_ctx: Context) -> None:
    report_ctx.clock = examples_ctx.clock
    add_examples(report_ctx, 2024)

    def values(ctx: Context) -> list[object]:
        snapshot = plans.load_plan(ctx, 2024)
        return [
            (
                r.ref,
                r.brutto,
                r.status,
                [x.netto for x in r.reviews],
                [
                    [(y.status, y.result, y.severity, y.deviation) for y in m.reviews]
                    for m in r.measures
                ],
            )
            for r in snapshot.risks
        ]

    assert values(report_ctx) == values(examples_ctx)


def test_examples_never_mix_with_real_reviews(report_ctx: Context) -> None:
    snapshot = plans.load_plan(report_ctx, 2024)
    risk = snapshot.risks[0]
    reviews.record_risk_review(report_ctx, snapshot.plan.id, risk.id, 1, 2, 2)
    with pytest.raises(InvalidInput, match="redan uppföljningar"):
        add_examples(report_ctx, 2024)
    with pytest.raises(InvalidInput, match="fastställd plan"):
        add_examples(report_ctx, 2022)


def test_examples_flag_the_report(examples_ctx: Context, report_ctx: Context) -> None:
    assert build_report(examples_ctx, 2024).example_data
    assert not build_report(report_ctx, 2024).example_data
    assert any("exempeldata" in p for p in build_report(examples_ctx, 2024).summary)


def test_examples_can_be_removed_again(examples_ctx: Context, report_ctx: Context) -> None:
    removed = remove_examples(examples_ctx, 2024)
    assert (removed.risk_reviews, removed.measure_reviews) == (76, 108)
    assert removed.brutto == 19 and removed.unlocked == 4
    report = build_report(examples_ctx, 2024)
    assert not report.example_data
    assert not any("exempeldata" in p.casefold() for p in report.summary)

    def state(ctx: Context) -> list[object]:
        snapshot = plans.load_plan(ctx, 2024)
        return [
            [(p.locked, p.frozen) for p in snapshot.plan.periods],
            snapshot.plan.revisions,
            [
                (r.ref, r.status, r.brutto, r.reviews, [m.reviews for m in r.measures])
                for r in snapshot.risks
            ],
        ]

    assert state(examples_ctx) == state(report_ctx)  # as seeded
    with examples_ctx.reading() as session:
        logged = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "tog bort exempeldata")
        ).all()
    assert len(logged) == 1
    with pytest.raises(InvalidInput, match="inga exempeldata"):
        remove_examples(examples_ctx, 2024)


# -- record helpers ------------------------------------------------------------------------


def _risk(ref: str, area: str) -> PlanRisk:
    at = datetime(2024, 3, 31, tzinfo=UTC)
    return PlanRisk(
        id=hash(ref) % 10_000,
        version=1,
        ref=ref,
        area=area,
        area_code=ref[:2],
        text=f"Risken {ref}.",
        region_wide=False,
        requirement=None,
        status=RiskStatus.ACTIVE,
        acceptance=None,
        brutto=Assessment(3, 3),
        source=None,
        measures=(
            PlanMeasure(
                id=1,
                version=1,
                text="En åtgärd.",
                region_wide=False,
                kind=MeasureKind.ONE_OFF,
                frequency=None,
                due_date=None,
                roles=(),
                source=None,
                reviews=(),
            ),
        ),
        reviews=(RiskReviewRecord(PeriodRef(2024, 1), Assessment(2, 2), "", "x", at, 1),),
    )


def _snapshot(risks: tuple[PlanRisk, ...]) -> PlanSnapshot:
    info = PlanInfo(
        id=1,
        committee_id=1,
        committee="Testnämnden",
        year=2024,
        status=PlanStatus.ADOPTED,
        dnr=None,
        adopted_on=None,
        matrix=default_matrix(),
        periods=tuple(PeriodInfo(q, 2024, q, None, None) for q in (1, 2, 3, 4)),
        version=1,
    )
    return PlanSnapshot(info, risks)


def _conclusion() -> IskConclusion:
    return IskConclusion(1, "Testnämnden", 2024, ConclusionFields(), None, None, 0)


@pytest.mark.parametrize(
    ("done", "counted", "shown", "expected"),
    [
        (43, 48, 90, Grade.SUFFICIENT),  # 89.58 % prints as 90 % and counts as 90 %
        (177, 200, 89, Grade.MOSTLY),  # 88.5 % rounds half up to 89 %
        (119, 200, 60, Grade.MOSTLY),  # 59.5 % → 60 %
        (118, 200, 59, Grade.INSUFFICIENT),
    ],
)
def test_the_rule_uses_the_percentage_the_report_prints(
    done: int, counted: int, shown: int, expected: Grade
) -> None:
    figures = _figures(done, counted)
    assert figures.carried_out_percent == shown
    result = suggest(figures, _coverage(), (), (), 0)
    assert result.findings[0].cap is expected
    assert f"({shown}\u00a0%)" in result.findings[0].observed


def test_a_changed_grade_needs_its_own_motivation(report_ctx: Context) -> None:
    view = view_conclusion(report_ctx, 2024)
    plan_id = view.conclusion.plan_id
    other = next(g for g in Grade if g is not view.suggestion.grade)
    first = save_conclusion(
        report_ctx, plan_id, ConclusionFields(grade=other, motivation="Skäl för det betyget.")
    )
    with pytest.raises(InvalidInput, match="Motiveringen skrevs för betyget"):
        save_conclusion(
            report_ctx,
            plan_id,
            ConclusionFields(grade=view.suggestion.grade, motivation="Skäl för det betyget."),
        )
    assert get_conclusion(report_ctx, 2024).version == first.version  # nothing saved
    cleared = save_conclusion(
        report_ctx, plan_id, ConclusionFields(grade=view.suggestion.grade, motivation="")
    )
    assert cleared.fields.grade is view.suggestion.grade and cleared.fields.motivation == ""


def test_an_overruled_grade_is_motivated_in_the_memo_itself(report_ctx: Context) -> None:
    view = view_conclusion(report_ctx, 2024)
    other = next(g for g in Grade if g is not view.suggestion.grade)
    save_conclusion(
        report_ctx,
        view.conclusion.plan_id,
        ConclusionFields(grade=other, motivation="Revisionens granskning väger tyngre."),
    )
    summary = " ".join(build_report(report_ctx, 2024).summary)
    assert "Motivering: Revisionens granskning väger tyngre." in summary
    assert "bilagan" not in summary


def _with_measures(risk: PlanRisk, *texts: str, text: str | None = None) -> PlanRisk:
    measures = tuple(replace(risk.measures[0], id=i, text=t) for i, t in enumerate(texts, 1))
    return replace(risk, measures=measures, text=text or risk.text)


@pytest.mark.parametrize(
    ("before", "after", "what"),
    [
        (("Stickprov av inköp.",), ("Stickprov  av inköp",), None),  # full stop, spacing
        (("Stickprov av inköp.",), ("stickprov av Inköp.",), None),  # case
        (("Månadsvis stickprov av inköp.",), ("Månadsvis stickprov av inköpen.",),
         "åtgärder: 1 omformulerad"),  # a typo fixed
        (("Stickprov av inköp.",), ("Utbildning i attestordningen.",),
         "åtgärder: 1 ny, 1 borttagen"),
    ],
)  # fmt: skip
def test_changes_ignore_punctuation_and_call_a_typo_a_rewording(
    before: tuple[str, ...], after: tuple[str, ...], what: str | None
) -> None:
    old = _with_measures(_risk("EK-01", "Ekonomi"), *before)
    new = _with_measures(_risk("EK-01", "Ekonomi"), *after, text="risken  EK-01")
    previous = replace(_snapshot((old,)), plan=replace(_snapshot(()).plan, year=2022))
    report = build_content(_snapshot((new,)), _conclusion(), previous=previous)
    assert report.changes is not None
    if what is None:
        assert report.changes.changed == () and report.changes.unchanged == 1
        editorial = report.changes.editorial
        assert [(e.what, e.old_text, e.new_text) for e in editorial] == [
            ("risktext", "Risken EK-01.", "risken  EK-01"),
            ("åtgärd", before[0], after[0]),
        ]
        assert "0 ändrats; 1 är oförändrad. 2 texter har bara redaktionella" in (
            report.changes.summary()
        )
    else:
        assert report.changes.changed[0].what == (what,)
        assert [e.what for e in report.changes.editorial] == ["risktext"]


def test_data_newer_than_the_meeting_is_flagged(examples_ctx: Context) -> None:
    view = view_conclusion(examples_ctx, 2024)
    fields = replace(view.conclusion.fields, meeting_date=date(2024, 11, 20))
    save_conclusion(examples_ctx, view.conclusion.plan_id, fields)
    report = build_report(examples_ctx, 2024)
    assert report.as_of is not None and report.as_of.isoformat() == "2024-12-31"
    assert any(
        "senaste uppgift är från 2024-12-31, efter sammanträdesdatumet 2024-11-20" in p
        for p in report.summary
    )
    on_time = replace(fields, meeting_date=date(2025, 2, 12))
    save_conclusion(examples_ctx, view.conclusion.plan_id, on_time)
    assert not any(
        "efter sammanträdesdatumet" in p for p in build_report(examples_ctx, 2024).summary
    )


def test_the_summary_names_the_highest_risks_and_serious_deviations(
    examples_ctx: Context,
) -> None:
    report = build_report(examples_ctx, 2024)
    top = len(report.matrix.levels) - 1
    reds = [r.ref for r in report.register if r.year_end_level == top]
    serious = [d for d in report.deviations if d.severity is Severity.SERIOUS]
    assert reds and serious
    text = " ".join(report.summary)
    assert all(ref in text for ref in reds)
    assert all(f"{d.ref} ({d.period.label})" in text for d in serious)


def _accepted_risk(until: date) -> PlanRisk:
    return replace(
        _risk("EK-01", "Ekonomi"),
        status=RiskStatus.ACCEPTED,
        acceptance=Acceptance("Nämnden", "Godtagbar tills vidare.", until, date(2024, 2, 1)),
    )


@pytest.mark.parametrize(
    ("until", "meeting", "expired"),
    [
        (date(2024, 6, 30), None, True),  # ran out within the plan year
        (date(2024, 12, 31), None, False),  # holds through the year
        (date(2024, 12, 31), date(2025, 2, 12), True),  # not on the day the nämnd meets
        (date(2025, 6, 30), date(2025, 2, 12), False),
    ],
)
def test_an_expired_acceptance_is_flagged(until: date, meeting: date | None, expired: bool) -> None:
    conclusion = replace(_conclusion(), fields=ConclusionFields(meeting_date=meeting))
    report = build_content(_snapshot((_accepted_risk(until),)), conclusion)
    assert [a.expired for a in report.accepted] == [expired]
    flagged = f"acceptansen har gått ut för EK-01 (till och med {until})" in " ".join(
        report.summary
    )
    assert flagged is expired


def test_scope_styrning_and_the_named_handläggare() -> None:
    risk = _risk("EK-01", "Ekonomi")
    bare = build_content(_snapshot((risk,)), _conclusion())
    assert "krav c–e" in bare.scope and "krav a–b" in bare.scope
    assert bare.governance is None and bare.governance_missing.startswith("Uppgift saknas.")
    assert "intern styrning (krav a–b)" in bare.missing_fields
    assert "handläggarens namn" in bare.missing_fields
    assert "Den interna styrningen (krav a–b) är inte redovisad" in " ".join(bare.summary)
    fields = ConclusionFields(
        handler="Ekonomistaben", handler_name="Áŋđá Čšž", governance="Målen nåddes."
    )
    full = build_content(_snapshot((risk,)), replace(_conclusion(), fields=fields))
    assert full.governance == "Målen nåddes."
    assert full.handler_text == "Áŋđá Čšž, Ekonomistaben"
    assert "redovisas i avsnitt 1 under Intern styrning" in " ".join(full.summary)
    assert not {"handläggarens namn", "intern styrning (krav a–b)"} & set(full.missing_fields)
