"""``%codegen`` in an IPython shell: every form, its output, and its one-line errors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jupyter_automl_codegen.code_folder import DEFAULT_SHARED_FOLDER
from jupyter_automl_codegen.codegen import GENERATED_FILES
from jupyter_automl_codegen.kernel import OPEN_MIME_TYPE, ModelBrowser
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..kernel_tools import open_paths, run_magic, shell_fixture  # noqa: F401 (fixture "shell")

UNKNOWN_RUN = "AutoML_" + "0" * 32 + "_1"
PREFIX = "automl-codegen: error: "


@pytest.fixture
def store_arg(trained_store, tmp_path, monkeypatch):
    """``--store <trained store>``, from a fresh working directory."""
    monkeypatch.chdir(tmp_path)
    return f"--store {trained_store['root']}"


def _best(trained_store, key):
    experiment = trained_store["store"].get_experiment(trained_store[key].experiment_id)
    return experiment, experiment.best_run_id


def _one_error_line(captured) -> str:
    lines = captured.stderr.splitlines()
    assert len(lines) == 1, captured.stderr
    assert lines[0].startswith(PREFIX), lines[0]
    assert "Traceback" not in captured.stdout + captured.stderr
    return lines[0]


def test_load_ext_registers_the_magic_and_help_documents_every_form(shell):
    assert "codegen" in shell.magics_manager.magics["line"]
    captured = run_magic(shell, "--help")
    for form in ("list EXPERIMENT_ID", "show RUN_ID", "open RUN_ID", "best EXPERIMENT_ID"):
        assert f"%codegen {form}" in captured.stdout
    for option in ("--store DIR", "--open", "--show", "--shared-folder DIR", "--overwrite"):
        assert option in captured.stdout
    assert captured.stderr == ""


def test_list_prints_the_experiments_then_a_leaderboard(shell, store_arg, trained_store):
    captured = run_magic(shell, f"list {store_arg}")
    lines = captured.stdout.splitlines()
    assert lines[0].split() == [
        "experiment",
        "name",
        "task",
        "status",
        "runs",
        "best",
        "run",
        "metric",
    ]
    names = [line.split()[1] for line in lines[1:]]
    assert names == ["cars", "penguins"]  # newest first
    experiment, best = _best(trained_store, "classification")
    captured = run_magic(shell, f"list {experiment.id} {store_arg}")
    lines = captured.stdout.splitlines()
    assert lines[0].split()[:4] == ["rank", "run", "algorithm", "status"]
    assert experiment.primary_metric in lines[0]
    assert lines[1].split()[:2] == ["1", best]
    assert len(lines) >= 1 + trained_store["store"].count_runs(experiment.id)


def test_show_puts_the_script_into_the_next_cell(shell, store_arg, trained_store):
    _, best = _best(trained_store, "regression")
    captured = run_magic(shell, f"show {best} {store_arg}")
    assert captured.stderr == ""
    assert best in captured.stdout
    [(script, replace)] = shell.next_inputs
    assert replace is False
    assert "def build_model_pipeline" in script
    ast.parse(script)
    stored = stored_code_dir(trained_store["store"], best) / "script.py"
    assert script == stored.read_text(encoding="utf-8")


def test_open_writes_the_code_folder_and_displays_the_open_bundle(
    shell, store_arg, trained_store, tmp_path
):
    _, best = _best(trained_store, "classification")
    captured = run_magic(shell, f"open {best} {store_arg}")
    assert captured.stderr == ""
    expected = f"{DEFAULT_SHARED_FOLDER}/penguins/{best}/training_code.ipynb"
    assert open_paths(captured) == [expected]
    [bundle] = [out.data for out in captured.outputs]
    assert set(bundle) == {OPEN_MIME_TYPE, "text/html", "text/plain"}
    assert f'href="{expected}"' in bundle["text/html"]
    folder = tmp_path / DEFAULT_SHARED_FOLDER / "penguins" / best
    stored = stored_code_dir(trained_store["store"], best)
    for name in GENERATED_FILES:
        assert (folder / name).read_bytes() == (stored / name).read_bytes(), name

    # Opening again keeps the folder (and any edit made to it) unless --overwrite.
    (folder / "script.py").write_text("# my edit\n", encoding="utf-8")
    again = run_magic(shell, f"open {best} {store_arg}")
    assert "kept" in again.stdout and open_paths(again) == [expected]
    assert (folder / "script.py").read_text(encoding="utf-8") == "# my edit\n"
    run_magic(shell, f"open {best} --overwrite {store_arg}")
    assert (folder / "script.py").read_bytes() == (stored / "script.py").read_bytes()


def test_best_names_the_best_run_and_opens_or_shows_it(shell, store_arg, trained_store):
    experiment, best = _best(trained_store, "regression")
    captured = run_magic(shell, f"best {experiment.id} {store_arg}")
    assert best in captured.stdout
    assert f"%codegen open {best}" in captured.stdout
    assert f"%codegen show {best}" in captured.stdout
    assert shell.next_inputs == [] and captured.outputs == []

    opened = run_magic(shell, f"best {experiment.id} --open {store_arg}")
    assert open_paths(opened) == [f"{DEFAULT_SHARED_FOLDER}/cars/{best}/training_code.ipynb"]
    assert Path(open_paths(opened)[0]).is_file()

    run_magic(shell, f"best {experiment.id} --show {store_arg}")
    [(script, _)] = shell.next_inputs
    assert "def build_model_pipeline" in script


def test_bare_magic_shows_the_panel_of_the_latest_experiment(shell, store_arg, trained_store):
    captured = run_magic(shell, store_arg)
    assert captured.stderr == ""
    panel = shell.magics_manager.registry["CodegenMagics"].panel
    assert isinstance(panel, ModelBrowser)
    assert panel.experiment_id == trained_store["regression"].experiment_id
    assert [
        out for out in captured.outputs if "application/vnd.jupyter.widget-view+json" in out.data
    ]
    panel.close()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"show {UNKNOWN_RUN}", "not found"),
        (f"open {UNKNOWN_RUN}", "not found"),
        ("show ../../etc/passwd", "invalid run id"),
        ("open AutoML_x;rm", "invalid run id"),
        ("list exp_nope", "invalid experiment id"),
        ("best exp_" + "0" * 32, "not found"),
        ("show", "needs run_id"),
        ("frobnicate", "unknown command"),
        ("list --open", "--open and --show go with"),
        ("show --bogus-flag", "unrecognized arguments"),
    ],
)
def test_bad_requests_are_one_friendly_line(shell, store_arg, line, message):
    captured = run_magic(shell, f"{line} {store_arg}")
    assert message in _one_error_line(captured).lower()
    assert captured.stdout == "" and captured.outputs == [] and shell.next_inputs == []


def test_a_run_without_code_is_one_friendly_line(shell, store_arg, trained_store, tmp_path):
    parent = trained_store["classification"].id
    for command in ("show", "open"):
        captured = run_magic(shell, f"{command} {parent} {store_arg}")
        assert "code is generated for completed child runs" in _one_error_line(captured)
    assert not (tmp_path / DEFAULT_SHARED_FOLDER).exists()


def test_an_empty_default_store_is_one_friendly_line(shell, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOML_CODEGEN_STORE", str(tmp_path / "empty store"))
    for line in ("", "list"):
        captured = run_magic(shell, line)
        assert "no experiment in the run store" in _one_error_line(captured)
        assert str(tmp_path / "empty store") in captured.stderr


def test_a_quoted_store_folder_with_a_space(shell, tmp_path):
    captured = run_magic(shell, f"list --store '{tmp_path / 'my store'}'")
    assert str(tmp_path / "my store") + " yet" in _one_error_line(captured)
    assert (tmp_path / "my store").is_dir()


def test_open_refuses_a_folder_that_links_out_of_the_shared_folder(
    shell, store_arg, trained_store, tmp_path
):
    _, best = _best(trained_store, "classification")
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / DEFAULT_SHARED_FOLDER).mkdir()
    (tmp_path / DEFAULT_SHARED_FOLDER / "penguins").symlink_to(outside)
    captured = run_magic(shell, f"open {best} {store_arg}")
    assert "resolves outside the shared folder" in _one_error_line(captured)
    assert list(outside.iterdir()) == [] and captured.outputs == []
