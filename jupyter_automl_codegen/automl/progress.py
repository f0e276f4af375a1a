"""A tqdm progress bar for the search: trials done, best score so far and time left."""

from __future__ import annotations

import math
import sys

from tqdm.auto import tqdm

from .metrics import GREATER_IS_BETTER


class SearchProgress:
    """Shows progress in a terminal (on stderr, so ``--json`` output stays clean) or notebook."""

    def __init__(self, config, *, enabled: bool = True):
        self._metric = config.primary_metric
        self._bar = tqdm(
            total=config.max_trials,
            desc="AutoML trials",
            unit="trial",
            file=sys.stderr,
            disable=not enabled,
            dynamic_ncols=True,
        )
        self._best: float | None = None

    def update(self, trial_loss: float | None, seconds_left: float) -> None:
        if trial_loss is not None and math.isfinite(trial_loss):
            score = -trial_loss if GREATER_IS_BETTER[self._metric] else trial_loss
            if self._best is None or trial_loss < self._best_loss:
                self._best, self._best_loss = score, trial_loss
        postfix = {"left": f"{max(0.0, seconds_left):.0f}s"}
        if self._best is not None:
            postfix[self._metric] = f"{self._best:.4f}"
        self._bar.set_postfix(postfix, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()
