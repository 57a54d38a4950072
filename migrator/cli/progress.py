"""tqdm rendering of core progress events, on stderr (stdout stays clean for --json)."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

MIN_ROWS_FOR_BAR = 1_000


class TqdmProgress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bars: dict[str, tqdm] = {}

    def __enter__(self) -> "TqdmProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        """Bars of tables the work did not finish end on their own line, so an error printed next does not
        land after a half-drawn bar."""
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()

    def __call__(self, event: str, **data: Any) -> Any:
        if not self.enabled:
            return None
        if event == "bar":  # a caller-driven bar: the caller updates and closes it
            return tqdm(total=data.get("total"), desc=data.get("desc"), unit=data.get("unit", ""),
                        unit_scale=data.get("unit_scale", False), file=sys.stderr, leave=True, mininterval=0.5)
        if event == "phase":
            print(f"... {data['name']}", file=sys.stderr, flush=True)
        elif event == "info":
            print(data["message"], file=sys.stderr, flush=True)
        elif event == "table_start" and data.get("total", 0) >= MIN_ROWS_FOR_BAR:
            self.bars[data["table"]] = tqdm(total=data["total"], desc=data["table"], unit=" rows",
                                            unit_scale=True, file=sys.stderr, leave=True, mininterval=0.5)
        elif event == "rows" and data["table"] in self.bars:
            self.bars[data["table"]].update(data["n"])
        elif event == "table_done" and data["table"] in self.bars:
            bar = self.bars.pop(data["table"])
            bar.n = bar.total
            bar.close()
