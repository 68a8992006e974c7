"""``riskreg risk show``: one risk across its years, as text or JSON.

The text is for ``riskreg.cli.common.show``, which makes control characters visible; the
wrapped paragraphs are made visible before wrapping as well, since ``textwrap`` would
otherwise turn a carriage return or tab into a silent space (and count the wrong width).
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

from riskreg.cli.output import json_text
from riskreg.domain.clock import local_stamp
from riskreg.domain.records import RiskHistory, RiskReviewRecord
from riskreg.domain.register import matrices_note, review_level_named
from riskreg.domain.visible import visible

EMPTY = "–"


def render_text(history: RiskHistory, today: date) -> str:
    risk = history.current
    lines = [
        f"{risk.ref} · {risk.area} · {history.committee}",
        f"Status {history.current_year}: {risk.status.value}"
        + (f" · krav {risk.requirement.value}" if risk.requirement else "")
        + (" · regionövergripande" if risk.region_wide else ""),
    ]
    if risk.acceptance:
        until = risk.acceptance.until.isoformat() if risk.acceptance.until else "tills vidare"
        decided = (
            f", beslutat {risk.acceptance.decided_on.isoformat()}"
            if risk.acceptance.decided_on
            else ""
        )
        lines.append(
            f"Accepterad av {risk.acceptance.by} till och med {until}{decided}: "
            f"{risk.acceptance.reason}"
        )
        expired = risk.acceptance.expired_note(today)
        if expired:
            lines.append(expired)
    if risk.closing:
        when = f" {local_stamp(risk.closing.at)}" if risk.closing.at else ""
        lines.append(f"Avslutad{when}: {risk.closing.reason}")
    lines.append("")
    for year in history.years:
        brutto = f"brutto {year.brutto.label}={year.brutto.value}" if year.brutto else "brutto –"
        lines.append(f"{year.year} ({year.status.value}; {brutto}; källa: {year.source or EMPTY})")
        lines.extend(_paragraph(year.text, "  ", "  "))
    lines.append("")
    lines.append("Nettobedömningar:")
    if not risk.reviews:
        lines.append("  inga ännu")
    note = matrices_note(history.matrix, risk.reviews)
    if note:
        lines.extend(_paragraph(note, "  ", "  "))
    for review in risk.reviews:
        comment = f" – {review.comment}" if review.comment else ""
        level = _level_name(history, review)
        named = f", {level}" if level else ""
        if note:
            named += f" i {review.made_in(history.matrix).label}"
        lines.append(
            f"  {review.period.label}: {review.netto.label}={review.netto.value}{named} "
            f"({review.reviewed_by}, {review.reviewed_at:%Y-%m-%d}){comment}"
        )
    lines.append("")
    lines.append(f"Åtgärder {history.current_year}:")
    for number, measure in enumerate(risk.measures, start=1):
        kind = measure.kind.value + (f", {measure.frequency.value}" if measure.frequency else "")
        roles = ", ".join(measure.roles) or "ingen roll angiven"
        lines.extend(_paragraph(f"{number}. {measure.text}", "  ", "     "))
        lines.append(f"     {kind} · ansvar: {roles}")
        for followup in measure.reviews:
            deviation = (
                f" · avvikelse ({followup.severity.value}): {followup.deviation}"
                if followup.deviation and followup.severity
                else ""
            )
            lines.append(f"     {followup.period.label}: {followup.status.value}{deviation}")
    if history.audit:
        lines.append("")
        lines.append("Ändringslogg:")
        for entry in history.audit:
            about = history.about(entry)
            lines.append(
                f"  {local_stamp(entry.at)} {entry.actor}: {entry.action} ({entry.entity_ref})"
                + (f", {about}" if about else "")
            )
    return "\n".join(lines)


def _level_name(history: RiskHistory, review: RiskReviewRecord) -> str | None:
    level = review_level_named(history.matrix, review)
    return level.name if level else None


def _paragraph(text: str, first: str, rest: str) -> list[str]:
    """``text`` wrapped at 78 columns; its own line breaks stay, indented like the rest."""
    lines: list[str] = []
    for part in visible(text, keep_newlines=True).split("\n"):
        indent = rest if lines else first
        lines += textwrap.wrap(part, 78, initial_indent=indent, subsequent_indent=rest)
    return lines


def render_json(history: RiskHistory, today: date) -> str:
    risk = history.current
    data: dict[str, Any] = {
        "ref": risk.ref,
        "nämnd": history.committee,
        "verksamhet": risk.area,
        "status": risk.status.value,
        "krav": risk.requirement.value if risk.requirement else None,
        "accepterad": None
        if risk.acceptance is None
        else {
            "av": risk.acceptance.by,
            "motivering": risk.acceptance.reason,
            "till_och_med": risk.acceptance.until.isoformat() if risk.acceptance.until else None,
            "utgången": risk.acceptance.expired(today),
            "beslutad": risk.acceptance.decided_on.isoformat()
            if risk.acceptance.decided_on
            else None,
        },
        "avslutad": None
        if risk.closing is None
        else {
            "motivering": risk.closing.reason,
            "tid": risk.closing.at.isoformat() if risk.closing.at else None,
        },
        "år": [
            {
                "år": y.year,
                "text": y.text,
                "regionövergripande": y.region_wide,
                "brutto": None
                if y.brutto is None
                else {"sannolikhet": y.brutto.likelihood, "konsekvens": y.brutto.consequence},
                "källa": y.source,
                "status": y.status.value,
            }
            for y in history.years
        ],
        "matriser": matrices_note(history.matrix, risk.reviews),
        "bedömningar": [
            {
                "period": r.period.label,
                "sannolikhet": r.netto.likelihood,
                "konsekvens": r.netto.consequence,
                "riskvärde": r.netto.value,
                "nivå": _level_name(history, r),
                "matris": r.made_in(history.matrix).label,
                "kommentar": r.comment,
                "av": r.reviewed_by,
                "tid": r.reviewed_at.isoformat(),
            }
            for r in risk.reviews
        ],
        "åtgärder": [
            {
                "text": m.text,
                "typ": m.kind.value,
                "frekvens": m.frequency.value if m.frequency else None,
                "roller": list(m.roles),
                "uppföljning": [
                    {
                        "period": r.period.label,
                        "status": r.status.value,
                        "avvikelse": r.deviation,
                        "allvarlighet": r.severity.value if r.severity else None,
                    }
                    for r in m.reviews
                ],
            }
            for m in risk.measures
        ],
        "logg": [
            {
                "tid": a.at.isoformat(),
                "av": a.actor,
                "händelse": a.action,
                "objekt": a.entity_ref,
                "åtgärd": history.about(a) or None,
            }
            for a in history.audit
        ],
    }
    return json_text(data, indent=2)
