"""A separate process for the concurrency tests: waits until a common start time, then does
one kind of work against the register and prints one JSON line with what happened.

    python tests/concurrency_worker.py URL START KIND ARGS...
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskreg.db.engine import make_engine, server_actor
from riskreg.db.target import DatabaseTarget
from riskreg.domain.errors import ConflictError, RiskregError
from riskreg.services import plans, reviews
from riskreg.services.context import Context


def main() -> None:
    url, start, kind, *args = sys.argv[1:]
    engine = make_engine(url)
    ctx = Context(engine, DatabaseTarget(url, False), actor=server_actor(engine) or kind)
    snapshot = plans.load_plan(ctx, 2024)
    plan_id = snapshot.plan.id
    outcome: dict[str, object] = {"saved": 0, "refused": [], "conflicts": 0}
    while time.time() < float(start):
        time.sleep(0.001)
    if kind == "reviews":  # save reviews of the given risks in a quarter, round after round
        quarter, rounds, refs = int(args[0]), int(args[1]), args[2:]
        for n in range(rounds):
            for ref in refs:
                risk = snapshot.risk(ref)
                try:
                    reviews.record_risk_review(ctx, plan_id, risk.id, quarter, 1 + n % 4, 2)
                    outcome["saved"] = int(outcome["saved"]) + 1  # type: ignore[call-overload]
                except RiskregError as exc:
                    outcome["refused"].append(str(exc))  # type: ignore[attr-defined]
    elif kind == "lock":  # lock a quarter after a short while
        time.sleep(float(args[1]))
        reviews.lock_period(ctx, plan_id, int(args[0]))
        outcome["saved"] = 1
    elif kind == "first":  # the first review of one risk, as a user who saw none
        risk = snapshot.risk(args[0])
        try:
            reviews.record_risk_review(
                ctx, plan_id, risk.id, 1, int(args[1]), 2, expected_version=0
            )
            outcome["saved"] = 1
        except ConflictError:
            outcome["conflicts"] = 1
        except RiskregError as exc:
            outcome["refused"].append(str(exc))  # type: ignore[attr-defined]
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
    ctx.engine.dispose()


if __name__ == "__main__":
    main()
