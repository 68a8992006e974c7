"""The risk matrix: scale labels and a grid of levels, one per cell.

The colour belongs to the cell, not to the product S × K (a 2×4 may be redder than a
4×2), so the matrix is a grid. A plan keeps its own copy, frozen with the plan year, so an
old report looks the same later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from riskreg.domain.errors import InvalidInput
from riskreg.domain.scales import MATRIX_SIZES, SCALE_MIN

if TYPE_CHECKING:
    from riskreg.domain.records import Assessment


@dataclass(frozen=True)
class Level:
    name: str
    colour: str  # "#rrggbb"


@dataclass(frozen=True)
class RiskMatrix:
    likelihood_labels: tuple[str, ...]  # index 0 is sannolikhet 1
    consequence_labels: tuple[str, ...]  # index 0 is konsekvens 1
    levels: tuple[Level, ...]  # from lowest to highest
    grid: tuple[tuple[int, ...], ...]  # grid[s - 1][k - 1] is an index into levels

    @property
    def size(self) -> tuple[int, int]:
        return len(self.likelihood_labels), len(self.consequence_labels)

    @property
    def label(self) -> str:
        """ "4×4", "5×5": how the matrix is named to the user."""
        rows, cols = self.size
        return f"{rows}×{cols}"

    @property
    def keys(self) -> str:
        """ "1–4": the values (and TUI keys) of the scales."""
        return f"{SCALE_MIN}–{max(self.size)}"

    @property
    def likelihood_scale(self) -> range:
        """The values sannolikhet may take: 1 to the matrix's rows."""
        return range(SCALE_MIN, self.size[0] + 1)

    @property
    def consequence_scale(self) -> range:
        """The values konsekvens may take: 1 to the matrix's columns."""
        return range(SCALE_MIN, self.size[1] + 1)

    def check(self, assessment: Assessment) -> Assessment:
        """``assessment`` if it lies inside this matrix; one Swedish sentence otherwise."""
        for name, value, scale in (
            ("Sannolikhet", assessment.likelihood, self.likelihood_scale),
            ("Konsekvens", assessment.consequence, self.consequence_scale),
        ):
            if value not in scale:
                raise InvalidInput(
                    f"{name} ska vara ett heltal {span(scale)}, inte {value}: "
                    f"planens riskmatris är {self.label}."
                )
        return assessment

    def level_index(self, likelihood: int, consequence: int) -> int:
        return self.grid[likelihood - 1][consequence - 1]

    def level(self, likelihood: int, consequence: int) -> Level:
        return self.levels[self.level_index(likelihood, consequence)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sannolikhet": list(self.likelihood_labels),
            "konsekvens": list(self.consequence_labels),
            "nivåer": [{"namn": lv.name, "färg": lv.colour} for lv in self.levels],
            "rutnät": [list(row) for row in self.grid],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskMatrix:
        try:
            matrix = cls(
                likelihood_labels=tuple(str(x) for x in data["sannolikhet"]),
                consequence_labels=tuple(str(x) for x in data["konsekvens"]),
                levels=tuple(Level(str(lv["namn"]), str(lv["färg"])) for lv in data["nivåer"]),
                grid=tuple(tuple(int(c) for c in row) for row in data["rutnät"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"Riskmatrisen är ofullständig: {exc}.") from exc
        matrix.validate()
        return matrix

    def validate(self) -> None:
        rows, cols = self.size
        if len(self.grid) != rows or any(len(row) != cols for row in self.grid):
            raise InvalidInput(f"Riskmatrisens rutnät ska ha {rows} × {cols} celler.")
        if any(not 0 <= cell < len(self.levels) for row in self.grid for cell in row):
            raise InvalidInput("Riskmatrisen pekar på en nivå som inte finns.")


def span(scale: range) -> str:
    """ "1–4": a scale as the user reads it."""
    return f"{scale[0]}–{scale[-1]}"


_LEVELS = (
    Level("Låg", "#4caf50"),
    Level("Medel", "#fdd835"),
    Level("Hög", "#fb8c00"),
    Level("Mycket hög", "#e53935"),
)


def matrix_for_size(size: int) -> RiskMatrix:
    """The preset matrix of ``size`` × ``size`` (3, 4 or 5), with the labels common in
    Swedish practice. 5×5 shares the four levels of 4×4, so trends across years with
    different matrices compare levels; 3×3 has three (Låg, Medel, Hög)."""
    if size not in MATRIX_SIZES:
        sizes = ", ".join(str(n) for n in MATRIX_SIZES[:-1]) + f" eller {MATRIX_SIZES[-1]}"
        raise InvalidInput(f"Matrisens storlek kan vara {sizes}, inte {size}.")
    if size == 3:
        return RiskMatrix(
            likelihood_labels=("Låg", "Medel", "Hög"),
            consequence_labels=("Låg", "Medel", "Hög"),
            levels=(_LEVELS[0], _LEVELS[1], Level("Hög", _LEVELS[3].colour)),
            grid=(
                (0, 0, 1),
                (0, 1, 2),
                (1, 2, 2),
            ),
        )
    if size == 5:
        return RiskMatrix(
            likelihood_labels=(
                "Mycket osannolik",
                "Osannolik",
                "Möjlig",
                "Sannolik",
                "Mycket sannolik",
            ),
            consequence_labels=("Försumbar", "Lindrig", "Måttlig", "Allvarlig", "Mycket allvarlig"),
            levels=_LEVELS,
            # As in 4×4, consequence weighs heavier: 2×5 is red, 5×2 orange.
            grid=(
                (0, 0, 1, 1, 2),
                (0, 1, 1, 2, 3),
                (0, 1, 2, 3, 3),
                (1, 2, 2, 3, 3),
                (1, 2, 3, 3, 3),
            ),
        )
    return default_matrix()


def default_matrix() -> RiskMatrix:
    """4 × 4 with the labels common in Swedish public-sector practice (DOMAIN §4)."""
    return RiskMatrix(
        likelihood_labels=("Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"),
        consequence_labels=("Försumbar", "Lindrig", "Kännbar", "Allvarlig"),
        levels=(
            Level("Låg", "#4caf50"),
            Level("Medel", "#fdd835"),
            Level("Hög", "#fb8c00"),
            Level("Mycket hög", "#e53935"),
        ),
        # Rows: sannolikhet 1..4; columns: konsekvens 1..4. Consequence weighs heavier
        # than likelihood, so 2×4 is red while 4×2 is orange.
        grid=(
            (0, 0, 1, 2),
            (0, 1, 2, 3),
            (0, 1, 2, 3),
            (1, 2, 3, 3),
        ),
    )
