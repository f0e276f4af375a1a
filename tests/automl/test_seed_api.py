"""Azure AutoML's Python API as its pages write it: the data and the compute in the config,
``submit(config)``, and a run's files by name (``get_file_names``, ``download_file``)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from jupyter_automl_codegen import AutoMLConfig, ConfigError, RunStore, load_dataset, submit
from jupyter_automl_codegen.store import NotFoundError

from ..budgets import AMPLE_TIME_BUDGET_SECONDS


def labelled_penguins() -> pd.DataFrame:
    return load_dataset("penguins").frame.rename(columns={"species": "label"})


def test_azure_snippet_as_written_then_download_file(tmp_path):
    data = labelled_penguins()
    compute_target = "local"
    store = RunStore(tmp_path / "store")

    config = AutoMLConfig(
        task="classification",
        training_data=data,
        label_column_name="label",
        compute_target=compute_target,
        enable_code_generation=False,
    )
    config.max_trials = 2
    config.experiment_timeout_seconds = AMPLE_TIME_BUDGET_SECONDS
    config.enable_voting_ensemble = config.enable_stack_ensemble = False
    run = submit(config, store=store, show_progress=False)

    assert run.status == "completed"
    best = run.get_best_child()
    assert best.properties["compute"] == "local"
    assert best.get_file_names() == ["outputs/model.pkl"]  # code generation was off
    written = best.download_file("outputs/model.pkl", tmp_path / "model.pkl")
    assert written == tmp_path / "model.pkl"
    stored = (store.runs_dir / best.id / "model.pkl").read_bytes()
    assert written.read_bytes() == stored
    assert hashlib.sha256(stored).hexdigest() == store.get_run(best.id).model_sha256

    recorded = store.get_run(run.id).properties
    assert "training_data" not in recorded["config"]  # the frame is never recorded
    assert recorded["config"]["compute_target"] == "local"
    assert recorded["source"] == "DataFrame"
    json.dumps(recorded)


def test_stored_files_are_listed_by_name_and_downloaded_byte_for_byte(trained_store, tmp_path):
    store = trained_store["store"]
    best = trained_store["classification"].get_best_child()
    names = best.get_file_names()
    assert names[0] == "outputs/model.pkl"
    assert "outputs/generated_code/script.py" in names
    assert "outputs/generated_code/requirements.txt" in names
    assert all(not part.startswith(".") for name in names for part in name.split("/"))

    written = best.download_file("outputs/generated_code/script.py", tmp_path)
    assert written == tmp_path / "script.py"
    code_dir = store.runs_dir / best.id / "outputs" / "generated_code"
    assert written.read_bytes() == (code_dir / "script.py").read_bytes()

    # a symbolic link at the target is replaced, never written through
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    link = tmp_path / "link.pkl"
    link.symlink_to(outside)
    best.download_file("outputs/model.pkl", link)
    assert outside.read_text() == "keep"
    assert not link.is_symlink()
    assert link.read_bytes() == (store.runs_dir / best.id / "model.pkl").read_bytes()


def test_download_file_refuses_unknown_names_and_paths_out_of_the_run(trained_store, tmp_path):
    best = trained_store["classification"].get_best_child()
    with pytest.raises(NotFoundError, match="outputs/model.pkl") as unknown:
        best.download_file("outputs/scoring_file_v_1_0_0.py", tmp_path / "score.py")
    assert "outputs/generated_code/script.py" in str(unknown.value)
    for name in ("outputs/../model.pkl", "../store.db", "/etc/passwd", "outputs\\model.pkl", ""):
        with pytest.raises(ValueError, match="run file name|non-empty"):
            best.download_file(name, tmp_path / "x")
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "score.py").exists()


def test_submit_refuses_training_data_given_twice_or_not_at_all(tmp_path):
    data = labelled_penguins()
    store = RunStore(tmp_path / "store")
    both = AutoMLConfig(task="classification", training_data=data, label_column_name="label")
    with pytest.raises(ConfigError, match="given twice.*keep one"):
        submit(both, data, store=store, show_progress=False)
    neither = AutoMLConfig(task="classification", label_column_name="label")
    with pytest.raises(ConfigError, match=r"AutoMLConfig\(training_data=.*submit\(config, data\)"):
        submit(neither, store=store, show_progress=False)
    assert store.list_experiments() == []


def test_training_data_may_be_a_file_path(tmp_path):
    path = tmp_path / "penguins.csv"
    labelled_penguins().iloc[::4].to_csv(path, index=False)
    config = AutoMLConfig(
        task="classification",
        training_data=str(path),
        label_column_name="label",
        allowed_models=["LogisticRegression"],
        max_trials=1,
        experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
        enable_code_generation=False,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
    )
    store = RunStore(tmp_path / "store")
    run = submit(config, store=store, show_progress=False)
    assert run.status == "completed"
    experiment = store.get_experiment(run.experiment_id)
    assert experiment.name == "penguins"
    assert store.get_run(run.id).properties["source"] == "penguins.csv"


def test_compute_target_maps_onto_dask_scheduler():
    def config(**settings):
        return AutoMLConfig(task="regression", label_column_name="y", **settings)

    assert config().validate().compute_target == "local"
    assert config(compute_target="local").validate().dask_scheduler is None
    remote = config(compute_target="tcp://127.0.0.1:8786").validate()
    assert remote.dask_scheduler == "tcp://127.0.0.1:8786"
    legacy = config(dask_scheduler="tcp://10.0.0.1:8786").validate()
    assert legacy.compute_target == "tcp://10.0.0.1:8786"
    same = config(compute_target="tcp://10.0.0.1:8786", dask_scheduler="tcp://10.0.0.1:8786")
    assert same.validate().dask_scheduler == "tcp://10.0.0.1:8786"
    with pytest.raises(ConfigError, match="disagree; give only one"):
        config(compute_target="local", dask_scheduler="tcp://10.0.0.1:8786").validate()
    with pytest.raises(ConfigError, match="'cpu-cluster' must be 'local'.*tcp://"):
        config(compute_target="cpu-cluster").validate()
    with pytest.raises(ConfigError, match="training_data must be a pandas DataFrame"):
        config(training_data=[[1, 2]]).validate()


def test_a_config_holding_a_frame_stays_cheap_to_show_compare_and_record():
    data = labelled_penguins()
    config = AutoMLConfig(task="classification", training_data=data, label_column_name="label")
    assert "training_data" not in repr(config)
    assert config == AutoMLConfig(task="classification", label_column_name="label")
    recorded = config.validate().to_dict()
    assert "training_data" not in recorded
    json.dumps(recorded)
    assert AutoMLConfig(**recorded).validate().to_dict() == recorded  # what resume rebuilds
