"""tqdm rendering of the core's Progress protocol (`migrator.outcome.Progress`), on stderr (stdout stays clean
for --json). Thread-safe: the bulk load and the artifact copy report from several threads."""

from __future__ import annotations

import sys
import threading

from tqdm import tqdm

from ..stores import redact

MIN_ROWS_FOR_BAR = 1_000


class TqdmProgress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bars: dict[str, tqdm] = {}
        self.lock = threading.Lock()

    def __enter__(self) -> "TqdmProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        """Bars of work that did not finish end on their own line, so an error printed next does not land after
        a half-drawn bar."""
        with self.lock:
            for bar in self.bars.values():
                bar.close()
            self.bars.clear()

    def phase(self, name: str) -> None:
        if self.enabled:
            print(f"... {redact(name)}", file=sys.stderr, flush=True)

    def info(self, message: str) -> None:
        if self.enabled:
            print(redact(message), file=sys.stderr, flush=True)

    def start(self, task: str, total: int, unit: str = "rows") -> None:
        """Row counts get a bar from MIN_ROWS_FOR_BAR rows; files, runs and bytes always."""
        if not self.enabled or (unit == "rows" and total < MIN_ROWS_FOR_BAR):
            return
        with self.lock:
            self.bars[task] = tqdm(total=total, desc=task, unit="B" if unit == "B" else f" {unit}", unit_scale=True,
                                   file=sys.stderr, leave=True, mininterval=0.5)

    def advance(self, task: str, n: int) -> None:
        with self.lock:
            bar = self.bars.get(task)
            if bar is not None:
                bar.update(n)

    def done(self, task: str) -> None:
        with self.lock:
            bar = self.bars.pop(task, None)
            if bar is not None:
                bar.n = bar.total
                bar.close()
