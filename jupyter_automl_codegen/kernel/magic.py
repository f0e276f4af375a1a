"""The ``%codegen`` line magic: ``%load_ext jupyter_automl_codegen``, then ``%codegen --help``."""

from __future__ import annotations

import sys
from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ..code_folder import DEFAULT_SHARED_FOLDER, write_code_folder
from ..listing import experiments_table, leaderboard_table
from ..store import RunStore, resolve_store_root
from ..stored_code import run_script_text
from .errors import EXPECTED_ERRORS, PanelError, error_line
from .leaderboard import load_leaderboard
from .open_code import open_bundle, show_bundle

COMMANDS = ("list", "show", "open", "best")
_TARGET = {"show": "RUN_ID", "open": "RUN_ID", "best": "EXPERIMENT_ID"}


@magics_class
class CodegenMagics(Magics):
    """``%codegen``: browse the run store and get any trained model's training code."""

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell, **kwargs)
        self._stores: dict[Path, RunStore] = {}
        self.panel = None  # the last panel shown, for whoever wants to drive it

    @magic_arguments()
    @argument(
        "command",
        nargs="?",
        metavar="COMMAND",
        help="list, show, open or best; none shows the model panel of the latest experiment",
    )
    @argument(
        "target",
        nargs="?",
        metavar="ID",
        help="an EXPERIMENT_ID (list, best) or a RUN_ID (show, open)",
    )
    @argument(
        "--store",
        metavar="DIR",
        help="run store folder (default: $AUTOML_CODEGEN_STORE, else "
        "~/.local/share/jupyter-automl-codegen/store)",
    )
    @argument(
        "--shared-folder",
        metavar="DIR",
        default=DEFAULT_SHARED_FOLDER,
        help=f"where open writes code folders, relative to the working directory "
        f"(default: {DEFAULT_SHARED_FOLDER})",
    )
    @argument(
        "--overwrite",
        action="store_true",
        help="open: write the code folder again even if it exists (default: keep it)",
    )
    @argument("--open", action="store_true", help="best: open the best run's training notebook")
    @argument("--show", action="store_true", help="best: put the best run's script.py below")
    @argument("-h", "--help", action="store_true", help="show this help")
    @line_magic
    def codegen(self, line: str = ""):
        """Browse AutoML experiments and get the training code of any trained model.

        %codegen                        the model panel of the latest experiment
        %codegen list                   the experiments of the run store
        %codegen list EXPERIMENT_ID     the leaderboard of one experiment
        %codegen show RUN_ID            put the run's script.py into a new cell below
        %codegen open RUN_ID            write the run's code folder into the shared folder
                                        (<shared>/<experiment name>/<run id>/) and open its
                                        training_code.ipynb
        %codegen best EXPERIMENT_ID     which run is best, and how to get its code
        %codegen best EXPERIMENT_ID --open | --show
                                        open or show the best run's code

        Errors are one line on stderr: automl-codegen: error: <problem and fix>.
        """
        try:
            args = parse_argstring(self.codegen, line)
        except UsageError as error:
            print(f"{error_line(error)} (see %codegen --help)", file=sys.stderr)
            return
        for name in ("command", "target", "store", "shared_folder"):
            setattr(args, name, _unquote(getattr(args, name)))
        if args.help:
            print(self.codegen.__doc__.removeprefix("::").strip("\n"))
            return
        try:
            self._dispatch(args)
        except (PanelError, *EXPECTED_ERRORS) as error:
            print(error_line(error), file=sys.stderr)

    # -- commands ----------------------------------------------------------

    def _dispatch(self, args) -> None:
        command, target = args.command, args.target
        if command is not None and command not in COMMANDS:
            raise PanelError(
                f"unknown command {command!r}: use list, show, open or best (see %codegen --help)"
            )
        if command in _TARGET and target is None:
            raise PanelError(f"%codegen {command} needs {_TARGET[command]} (see %codegen --help)")
        if command is None and target is not None:
            raise PanelError(f"unexpected {target!r}: use %codegen list|show|open|best ID")
        if (args.open or args.show) and command != "best":
            raise PanelError("--open and --show go with %codegen best EXPERIMENT_ID")
        if args.open and args.show:
            raise PanelError("give --open or --show, not both")
        store = self._store(args.store)
        if command is None:
            self._panel(store, args)
        elif command == "list":
            self._list(store, target)
        elif command == "show":
            self._show(store, target)
        elif command == "open":
            self._open(store, target, args)
        else:
            self._best(store, target, args)

    def _panel(self, store: RunStore, args) -> None:
        from IPython.display import display

        from .browser import ModelBrowser

        experiments = store.list_experiments()
        if not experiments:
            raise PanelError(_empty_store(store))
        self.panel = ModelBrowser(experiments[0].id, store=store, shared_folder=args.shared_folder)
        display(self.panel)

    def _list(self, store: RunStore, experiment_id: str | None) -> None:
        if experiment_id is not None:
            print(leaderboard_table(store, experiment_id))
            return
        experiments = store.list_experiments()
        if not experiments:
            raise PanelError(_empty_store(store))
        print(experiments_table(experiments))

    def _show(self, store: RunStore, run_id: str) -> None:
        script = run_script_text(store, run_id)
        self.shell.set_next_input(script, replace=False)
        print(f"script.py of {run_id} is in the new cell below.")

    def _open(self, store: RunStore, run_id: str, args) -> None:
        written = write_code_folder(store, run_id, args.shared_folder, overwrite=args.overwrite)
        if not written.written:
            print(
                f"{written.folder.name}: the folder exists and was kept "
                "(add --overwrite to write it again)."
            )
        show_bundle(open_bundle(written.notebook))

    def _best(self, store: RunStore, experiment_id: str, args) -> None:
        board = load_leaderboard(store, experiment_id)
        best = next((run for run in board.runs if run.id == board.best_run_id), None)
        if best is None:
            raise PanelError(
                f"experiment {experiment_id} has no completed run yet "
                f"(see %codegen list {experiment_id})"
            )
        if args.open:
            self._open(store, best.id, args)
        elif args.show:
            self._show(store, best.id)
        else:
            metric = board.experiment.primary_metric
            print(
                f"best run of {board.experiment.name!r} on {metric}: {best.id} "
                f"({best.algorithm}, {metric} {best.metrics.get(metric):.4f})\n"
                f"  %codegen open {best.id}   writes its code folder and opens the notebook\n"
                f"  %codegen show {best.id}   puts its script.py into a new cell below"
            )

    def _store(self, folder: str | None) -> RunStore:
        root = resolve_store_root(folder)
        if root not in self._stores:
            self._stores[root] = RunStore(root)
        return self._stores[root]


def _unquote(value: str | None) -> str | None:
    """``'a b'`` -> ``a b``: IPython splits magic lines keeping the quotes of a quoted word."""
    if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _empty_store(store: RunStore) -> str:
    return (
        f"no experiment in the run store at {store.root} yet; train one with "
        "submit(config, data) or `automl-codegen train`, or name another store with --store DIR"
    )


def load_ipython_extension(ipython) -> None:
    """``%load_ext jupyter_automl_codegen``: registers ``%codegen``."""
    ipython.register_magics(CodegenMagics)


__all__ = ["CodegenMagics", "load_ipython_extension"]
