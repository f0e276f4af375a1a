"""``automl-codegen codegen RUN --out DIR``: the stored folder copied when the run has one,
generated only when it has none, and the command says which it did."""

from __future__ import annotations

import json
import shutil

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..clitools import run_cli


def files_of(folder) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_codegen_copies_the_stored_folder_byte_for_byte(trained_store, tmp_path):
    store = trained_store["store"]
    run_id = trained_store["classification"].get_best_child().id
    stored = stored_code_dir(store, run_id)
    # an edit in the store shows the folder is copied, not generated again
    script = stored / "script.py"
    original = script.read_bytes()
    out = tmp_path / "code"
    try:
        script.write_bytes(original + b"# kept as stored\n")
        result = run_cli("codegen", run_id, "--out", out, store=trained_store["root"])
        assert result.returncode == 0, result.stderr
        assert files_of(out) == files_of(stored)
    finally:
        script.write_bytes(original)
    lines = result.stdout.splitlines()
    assert lines[-1] == f"copied the stored generated code of run {run_id} to {out}"
    assert str(out / "script.py") in lines


def test_codegen_generates_the_folder_of_a_run_that_has_none(trained_store, tmp_path):
    root = tmp_path / "store"
    shutil.copytree(trained_store["root"], root)
    run_id = trained_store["regression"].get_best_child().id
    shutil.rmtree(stored_code_dir(RunStore(root), run_id))
    out = tmp_path / "code"
    result = run_cli("codegen", run_id, "--out", out, store=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"generated code for run {run_id} in {out} (the run had none stored)"
    )
    assert {"script.py", "requirements.txt", "training_code.ipynb"} <= set(files_of(out))
    compile((out / "script.py").read_text(encoding="utf-8"), "script.py", "exec")
    assert not stored_code_dir(RunStore(root), run_id).exists()  # the store is left as it was


def test_runs_says_which_run_failed_to_generate_its_code_and_why(trained_store, tmp_path):
    root = tmp_path / "store"
    shutil.copytree(trained_store["root"], root)
    store = RunStore(root)
    run = trained_store["classification"].get_best_child()
    shutil.rmtree(stored_code_dir(store, run.id))
    # what recording.record_result keeps when the code generator refuses a run
    reason = "value nan of 'C' has no exact Python literal"
    store.update_properties(run.id, code_generation_error=reason)
    experiment_id = trained_store["classification"].experiment_id

    result = run_cli("runs", experiment_id, store=root)
    assert result.returncode == 0, result.stderr
    note = f"code generation failed for run {run.id} ({run.algorithm}): {reason}"
    assert any(line.endswith(note) or line == note for line in result.stdout.splitlines())
    listed = run_cli("runs", experiment_id, "--json", store=root)
    [record] = [r for r in json.loads(listed.stdout) if r["id"] == run.id]
    assert record["properties"]["code_generation_error"] == reason
