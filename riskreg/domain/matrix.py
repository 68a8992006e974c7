"""The risk matrix: scale labels and a grid of levels, one per cell.

The colour belongs to the cell, not to the product S × K (a 2×4 may be redder than a
4×2), so the matrix is a grid. A plan keeps its own copy, frozen with the plan year, so an
old report looks the same later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskreg.domain.errors import InvalidInput


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
