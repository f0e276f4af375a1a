"""Launching the trials and ensembles of one tabular experiment: a child run in the store and
the task a worker runs for it."""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.pipeline import Pipeline

from ..spec import to_spec
from ..store import RunStore
from .compute import Compute
from .config import AutoMLConfig
from .profiling import FeaturizationPlan
from .trial import FEATURIZE_STEP, TrialTask
from .validation import ValidationScheme
from .zoo import make_estimator, make_scaler


@dataclass(frozen=True)
class TrialLauncher:
    """What every trial of one experiment shares; makes a child run and its task per proposal."""

    run_store: RunStore
    parent_id: str
    config: AutoMLConfig
    plan: FeaturizationPlan
    featurizer: object
    scheme: ValidationScheme
    snapshot_path: str
    snapshot_sha: str
    compute: Compute

    def launch(self, proposal) -> tuple[str, TrialTask]:
        steps = [(FEATURIZE_STEP, self.featurizer)]
        scaler = make_scaler(proposal.scaler)
        if scaler is not None:
            steps.append(("scale", scaler))
        model = make_estimator(
            proposal.algorithm, self.config.task, proposal.params, self.config.seed
        )
        steps.append(("model", model))
        spec = to_spec(Pipeline(steps))
        run = self.run_store.create_child_run(
            self.parent_id,
            algorithm=proposal.algorithm,
            spec=spec,
            properties={
                "scaler": proposal.scaler,
                "hyperparameters": proposal.params,
                "trial": proposal.number,
            },
        )
        return run.id, self._start(run.id, spec)

    def launch_ensemble(self, plan, started_at: float, seconds_left: float):
        """The child run of an ensemble and its task; the run records its members and the
        time accounting it started under (seconds since the experiment started)."""
        properties = {
            "members": plan.members,
            "scoring": plan.scoring,
            "budget": {
                "estimated_seconds": round(plan.estimated_seconds, 3),
                "started_at_seconds": started_at,
                "seconds_left": round(seconds_left, 3),
                "budget_seconds": self.config.experiment_timeout_seconds,
            },
        }
        if plan.meta_learner is not None:
            properties["meta_learner"] = plan.meta_learner
        run = self.run_store.create_child_run(
            self.parent_id, algorithm=plan.algorithm, spec=plan.spec, properties=properties
        )
        return run.id, self._start(run.id, plan.spec)

    def _start(self, run_id: str, spec: dict) -> TrialTask:
        self.run_store.start_run(run_id)
        return TrialTask(
            run_id=run_id,
            snapshot_path=self.snapshot_path,
            snapshot_sha256=self.snapshot_sha,
            label=self.config.label_column_name,
            task=self.config.task,
            pipeline_spec=spec,
            scheme=self.scheme.to_dict(),
            plan=self.plan.to_dict(),
            timeout_seconds=self.config.trial_timeout_seconds,
            memory_mb=self.config.trial_memory_mb,
            weight_column=self.config.weight_column_name,
        )
