"""Training from a notebook: ``submit`` shows the panel in a kernel, and only there."""

from __future__ import annotations

import subprocess
import sys

from IPython.utils.capture import capture_output

import jupyter_automl_codegen
from jupyter_automl_codegen import AutoMLConfig, ModelBrowser, RunStore, load_dataset
from jupyter_automl_codegen.kernel import browser, notebook_training

from ..kernel_tools import shell_fixture  # noqa: F401 (fixture "shell")

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _train(store):
    """A real experiment through the package's ``submit``: a small sample, two trials."""
    penguins = load_dataset("penguins").frame.sample(120, random_state=0)
    config = AutoMLConfig(
        task="classification",
        label_column_name="species",
        max_trials=2,
        allowed_models=["LogisticRegression"],
        n_cross_validations=2,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
        enable_code_generation=False,
        max_concurrent_iterations=1,
    )
    return jupyter_automl_codegen.submit(config, penguins, store=store, show_progress=False)


def test_submit_in_a_kernel_shows_the_panel_of_its_experiment(shell, tmp_path, monkeypatch):
    monkeypatch.setattr(notebook_training, "in_kernel", lambda: True)
    panels = []

    class RecordedBrowser(ModelBrowser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            panels.append(self)

    monkeypatch.setattr(browser, "ModelBrowser", RecordedBrowser)
    store = RunStore(tmp_path / "store")
    with capture_output() as captured:
        run = _train(store)
    assert run.status == "completed"
    assert len(run.get_children()) == 2
    [panel] = panels
    [widget] = [out for out in captured.outputs if WIDGET_MIME in out.data]
    assert widget.data[WIDGET_MIME]["model_id"] == panel.model_id
    assert panel.experiment_id == run.experiment_id
    assert panel.store is store
    panel.close()


def test_submit_outside_a_kernel_shows_nothing(shell, tmp_path):
    with capture_output() as captured:  # a plain IPython shell has no kernel
        run = _train(tmp_path / "store")
    assert run.status == "completed"
    assert captured.outputs == [] and captured.stdout == ""


def test_plain_python_imports_no_jupyter_and_is_not_a_kernel():
    code = (
        "import sys, jupyter_automl_codegen as j\n"
        "j.submit, j.ModelBrowser, j.load_ipython_extension\n"
        "import jupyter_automl_codegen.kernel.magic\n"
        "from jupyter_automl_codegen.kernel import in_kernel\n"
        "assert not in_kernel()\n"
        "assert 'jupyter_server' not in sys.modules\n"
        "print('ok')\n"
    )
    domain = (
        "import sys, jupyter_automl_codegen as j\n"
        "j.submit, j.RunStore\n"
        "import jupyter_automl_codegen.cli, jupyter_automl_codegen.code_folder\n"
        "loaded = {'IPython', 'ipywidgets', 'jupyter_server'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    for source in (code, domain):
        result = subprocess.run(
            [sys.executable, "-c", source], capture_output=True, text=True, check=False
        )
        assert result.stdout.strip() == "ok", result.stderr


def test_the_search_progress_bar_is_tqdm_auto():
    import tqdm.auto

    from jupyter_automl_codegen.automl import progress

    assert progress.tqdm is tqdm.auto.tqdm
