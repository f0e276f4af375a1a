"""``ModelBrowser``: the ipywidgets panel over an experiment's trained models.

Choose an experiment, read its leaderboard (sorted by any metric, the best run marked,
refreshed in the background while the experiment runs), select a run to see its metrics,
hyperparameters and featurization, then **View generated code** (writes the run's folder
into the shared folder and opens its training notebook) or **Insert code below**.

Every widget carries a stable CSS class (``automl-codegen-*``) for styling and browser tests.
"""

from __future__ import annotations

import os
import threading
from html import escape

import ipywidgets as widgets

from ..code_folder import DEFAULT_SHARED_FOLDER, write_code_folder
from ..store import TERMINAL_STATUSES, Experiment, RunStore, as_run_store
from ..stored_code import run_script_text
from .errors import EXPECTED_ERRORS, error_line
from .leaderboard import BEST_MARK, Leaderboard, load_leaderboard
from .open_code import display_data, insert_next_cell, open_bundle
from .polling import Poller
from .run_details import code_generation_failure, run_details_html

VIEW_CODE = "View generated code"
INSERT_CODE = "Insert code below"
DEFAULT_POLL_INTERVAL = 2.0
# The leaderboard is a list of aligned text lines: show it in the code font.
_STYLE = (
    "<style>.automl-codegen-leaderboard select, .automl-codegen-leaderboard-header pre"
    "{font-family: var(--jp-code-font-family, monospace); font-size: var(--jp-code-font-size,"
    " 13px); white-space: pre;} .automl-codegen-leaderboard-header pre {margin: 0 0 0 4px;}"
    "</style>"
)


class ModelBrowser(widgets.VBox):
    """A panel over the experiments of a run store.

    >>> from jupyter_automl_codegen import ModelBrowser
    >>> ModelBrowser()                      # doctest: +SKIP  (the latest experiment)

    ``store`` is a ``RunStore`` or its folder (default: as the command line resolves it);
    ``shared_folder`` is where **View generated code** writes, relative to the working
    directory. While the experiment runs the leaderboard refreshes every
    ``poll_interval`` seconds from a background thread (``auto_refresh=False`` to refresh
    only with the Refresh button).
    """

    def __init__(
        self,
        experiment_id: str | None = None,
        *,
        store: RunStore | str | os.PathLike[str] | None = None,
        shared_folder: str | os.PathLike[str] = DEFAULT_SHARED_FOLDER,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        auto_refresh: bool = True,
        **kwargs,
    ):
        self.store = as_run_store(store)
        self.shared_folder = shared_folder
        self.auto_refresh = auto_refresh
        self.leaderboard: Leaderboard | None = None
        self._lock = threading.RLock()
        self._thread_state = threading.local()  # per thread: a refresh is updating options
        self._poller = Poller(poll_interval, self._poll_tick)

        self.experiment_dropdown = _named(
            widgets.Dropdown(description="Experiment", options=[]), "experiment"
        )
        self.sort_dropdown = _named(widgets.Dropdown(description="Sort by", options=[]), "sort")
        self.order_toggle = _named(
            widgets.ToggleButtons(
                options=[("best first", True), ("worst first", False)], value=True
            ),
            "order",
        )
        self.refresh_button = _named(
            widgets.Button(description="Refresh", icon="refresh", tooltip="Read the store again"),
            "refresh",
        )
        self.status_html = _named(widgets.HTML(), "status")
        self.header_html = _named(widgets.HTML(), "leaderboard-header")
        self.runs_select = _named(
            widgets.Select(options=[], rows=10, layout=widgets.Layout(width="100%")),
            "leaderboard",
        )
        self.details_html = _named(widgets.HTML(), "details")
        self.view_code_button = _named(
            widgets.Button(
                description=VIEW_CODE,
                icon="book",
                button_style="primary",
                tooltip="Write this run's code folder into the shared folder and open its notebook",
                disabled=True,
            ),
            "view-code",
        )
        self.insert_code_button = _named(
            widgets.Button(
                description=INSERT_CODE,
                icon="plus",
                tooltip="Put this run's script.py into a new cell",
                disabled=True,
            ),
            "insert-code",
        )
        self.output = _named(widgets.Output(), "output")
        for button in (self.view_code_button, self.insert_code_button):
            button.layout = widgets.Layout(width="auto")

        super().__init__(
            children=[
                widgets.HBox([self.experiment_dropdown, self.refresh_button]),
                widgets.HBox([self.sort_dropdown, self.order_toggle]),
                self.status_html,
                self.header_html,
                self.runs_select,
                # The actions sit right under the list: the details below can be long.
                widgets.HBox([self.view_code_button, self.insert_code_button]),
                self.output,
                self.details_html,
            ],
            **kwargs,
        )
        self.add_class("automl-codegen-panel")

        self.experiment_dropdown.observe(self._on_experiment, names="value")
        self.sort_dropdown.observe(self._on_sort, names="value")
        self.order_toggle.observe(self._on_sort, names="value")
        self.runs_select.observe(self._on_run, names="value")
        self.refresh_button.on_click(lambda _: self.refresh(experiments=True))
        self.view_code_button.on_click(lambda _: self.view_code())
        self.insert_code_button.on_click(lambda _: self.insert_code())
        self.refresh(experiments=True, select=experiment_id)

    # -- reading the store -------------------------------------------------

    @property
    def experiment_id(self) -> str | None:
        return self.experiment_dropdown.value

    @property
    def selected_run_id(self) -> str | None:
        return self.runs_select.value

    @property
    def polling(self) -> bool:
        """True while the background refresh runs (the experiment has not finished)."""
        return self._poller.running

    def refresh(self, *, experiments: bool = False, select: str | None = None) -> None:
        """Read the store again: the experiment list when asked, and the leaderboard."""
        with self._lock:
            try:
                if experiments or select is not None:
                    self._load_experiments(select)
                self._load_leaderboard()
            except EXPECTED_ERRORS as error:
                self._show_error(error)

    def _load_experiments(self, select: str | None) -> None:
        experiments = self.store.list_experiments()
        if select is not None and select not in {e.id for e in experiments}:
            self.store.get_experiment(select)  # InvalidIdError or NotFoundError, as a message
        current = select or self.experiment_dropdown.value
        ids = [e.id for e in experiments]
        with self._quiet():
            self.experiment_dropdown.options = [(_experiment_label(e), e.id) for e in experiments]
            self.experiment_dropdown.value = (
                current if current in ids else (ids[0] if ids else None)
            )

    def _load_leaderboard(self) -> None:
        experiment_id = self.experiment_id
        if experiment_id is None:
            self.leaderboard = None
            self._poller.stop()
            self.status_html.value = (
                f"No experiment in the run store at <code>{escape(str(self.store.root))}</code> "
                "yet: train one with <code>submit(config, data)</code> or "
                "<code>automl-codegen train</code>, then press Refresh."
            )
            with self._quiet():
                self.runs_select.options = []
            self._show_run()
            return
        previous = self.leaderboard
        same_experiment = previous is not None and previous.experiment.id == experiment_id
        metric = self.sort_dropdown.value if same_experiment else None
        board = load_leaderboard(
            self.store, experiment_id, metric, best_first=self.order_toggle.value
        )
        self.leaderboard = board
        selected = self.selected_run_id if same_experiment else board.best_run_id
        header, lines = board.lines()
        run_ids = [run.id for run in board.runs]
        with self._quiet():
            self.sort_dropdown.options = board.metric_names
            self.sort_dropdown.value = board.sort_metric
            self.runs_select.options = list(zip(lines, run_ids, strict=True))
            self.runs_select.value = selected if selected in run_ids else None
        self.header_html.value = f"{_STYLE}<pre>{escape(header)}</pre>"
        self.status_html.value = _status_text(board, self._live(board))
        self._show_run()
        if self._live(board):
            self._poller.start()
        else:
            self._poller.stop()

    def _live(self, board: Leaderboard) -> bool:
        return self.auto_refresh and board.experiment.status not in TERMINAL_STATUSES

    def _poll_tick(self) -> bool:
        self.refresh()
        return self.leaderboard is not None and self._live(self.leaderboard)

    def _show_run(self) -> None:
        run_id = self.selected_run_id
        run = None
        if run_id is not None and self.leaderboard is not None:
            run = next((r for r in self.leaderboard.runs if r.id == run_id), None)
        if run is None:
            self.details_html.value = "<p>Select a run to see its metrics and code.</p>"
            has_code = False
        else:
            self.details_html.value = run_details_html(self.store, run)
            # a run whose code generation failed says why in its details instead
            has_code = (
                run.status == "completed" and bool(run.spec) and not code_generation_failure(run)
            )
        self.view_code_button.disabled = not has_code
        self.insert_code_button.disabled = not has_code

    # -- actions -----------------------------------------------------------

    def select_run(self, run_id: str) -> None:
        """Select ``run_id`` (as a click on its line would), switching experiment if needed."""
        experiment_id = self.store.get_run(run_id).experiment_id
        if experiment_id != self.experiment_id:
            self.experiment_dropdown.value = experiment_id
        self.runs_select.value = run_id

    def view_code(self, run_id: str | None = None):
        """Write the run's code folder into the shared folder and open its training notebook.

        The Output widget below the buttons receives the open bundle (JupyterLab opens a tab;
        other frontends show a link). Returns the ``WrittenFolder``, or None on an error
        (shown as one line in the Output).
        """
        run_id = run_id or self.selected_run_id
        try:
            if run_id is None:
                raise LookupError("select a run first")
            written = write_code_folder(self.store, run_id, self.shared_folder)
        except EXPECTED_ERRORS as error:
            self._show_error(error)
            return None
        self.output.outputs = (display_data(open_bundle(written.notebook)),)
        return written

    def insert_code(self, run_id: str | None = None) -> str | None:
        """Put the run's ``script.py`` into the next cell, and show it in the Output.

        A button click reaches the kernel as a widget message, which cannot create a cell
        (``set_next_input`` only rides on a cell's execution reply): then the script is only
        shown, with the ``%codegen show RUN_ID`` line that inserts it. Called from a cell,
        the new cell appears below it. Returns the script, or None on an error.
        """
        run_id = run_id or self.selected_run_id
        try:
            if run_id is None:
                raise LookupError("select a run first")
            script = run_script_text(self.store, run_id)
        except EXPECTED_ERRORS as error:
            self._show_error(error)
            return None
        inserted = insert_next_cell(script)
        note = (
            f"script.py of {run_id} inserted as the next cell."
            if inserted
            else f"script.py of {run_id} (run `%codegen show {run_id}` in a cell to get it "
            "as a new cell):"
        )
        self.output.outputs = (
            {"output_type": "stream", "name": "stdout", "text": note + "\n"},
            display_data({"text/markdown": f"```python\n{script}\n```", "text/plain": script}),
        )
        return script

    def close(self) -> None:
        """Stop the background refresh and close every widget of the panel."""
        self._poller.stop()
        for widget in self._all_widgets():
            if widget is not self:
                widget.close()
        super().close()

    def _all_widgets(self):
        stack = list(self.children)
        while stack:
            widget = stack.pop()
            yield widget
            stack.extend(getattr(widget, "children", ()))

    # -- plumbing ----------------------------------------------------------

    def _show_error(self, error: BaseException) -> None:
        self.output.outputs = (
            {"output_type": "stream", "name": "stderr", "text": error_line(error) + "\n"},
        )

    def _quiet(self):
        return _Quiet(self._thread_state)

    @property
    def _updating(self) -> bool:
        return getattr(self._thread_state, "updating", False)

    def _on_experiment(self, change) -> None:
        if not self._updating:
            self.output.outputs = ()
            self.refresh()

    def _on_sort(self, change) -> None:
        if not self._updating:
            self.refresh()

    def _on_run(self, change) -> None:
        if not self._updating:
            self._show_run()


class _Quiet:
    """Programmatic changes of option lists without re-entering the change observers.

    The flag is per thread: a click handled while the background refresh updates the
    lists still reaches its observer (which then waits for the refresh's lock).
    """

    def __init__(self, state: threading.local):
        self.state = state

    def __enter__(self):
        self.previous = getattr(self.state, "updating", False)
        self.state.updating = True

    def __exit__(self, *exc_info):
        self.state.updating = self.previous


def _named(widget, name: str):
    widget.add_class(f"automl-codegen-{name}")
    return widget


def _experiment_label(experiment: Experiment) -> str:
    created = experiment.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{experiment.name} · {experiment.status} · {created} · {experiment.id[4:12]}"


def _status_text(board: Leaderboard, live: bool) -> str:
    experiment = board.experiment
    done = sum(run.status == "completed" for run in board.runs)
    text = (
        f"<b>{escape(experiment.name)}</b>: {escape(experiment.task)} of "
        f"<code>{escape(experiment.label)}</code>, {escape(experiment.status)}, "
        f"{len(board.runs)} runs ({done} completed). {BEST_MARK} marks the best run on "
        f"{escape(experiment.primary_metric)}."
    )
    if live:
        text += " Refreshing while it runs."
    return text


__all__ = ["INSERT_CODE", "VIEW_CODE", "ModelBrowser"]
