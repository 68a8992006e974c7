"""``riskreg plan matrix``: a plan year's risk matrix (3×3, 4×4 or 5×5)."""

from __future__ import annotations

import click

from riskreg.cli.common import CliState, info, pass_state
from riskreg.domain.scales import MATRIX_SIZES


@click.group("plan")
def plan_group() -> None:
    """Planens inställningar för ett år: riskmatrisens storlek."""


@plan_group.command("matrix")
@click.option("--year", "--år", "year", type=int, required=True, help="Planår.")
@click.option(
    "--storlek",
    "size",
    type=int,
    required=True,
    help="Matrisens storlek: "
    + ", ".join(f"{n}" for n in MATRIX_SIZES[:-1])
    + f" eller {MATRIX_SIZES[-1]} (3×3, 4×4, 5×5).",
)
@click.option("--nämnd", "--namnd", "committee", help="Nämnd (behövs när registret har flera).")
@click.option(
    "--motivering", "reason", help="Motivering (krävs för en fastställd plan utan uppföljningar)."
)
@pass_state
def plan_matrix(
    state: CliState, year: int, size: int, committee: str | None, reason: str | None
) -> None:
    """Ge planårets riskmatris en ny storlek, med de vanliga svenska etiketterna.
    Går i ett utkast; i en fastställd plan bara före första uppföljningen. Loggas."""
    from riskreg.services.editing import set_matrix_size

    plan = set_matrix_size(state.context(), year, size, committee=committee, reason=reason)
    info(f"Planen för {plan.year} har nu en {size}×{size}-matris.")
