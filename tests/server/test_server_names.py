"""Folder names from experiment names, the shared folder setting, and query parsing: properties.

Pure functions of the server layer, tested without a server.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from traitlets import TraitError

from jupyter_automl_codegen.server.app import normalize_shared_folder
from jupyter_automl_codegen.server.errors import ApiError, redact_paths
from jupyter_automl_codegen.server.params import codegen_overwrite, run_query
from jupyter_automl_codegen.server.shared_folder import (
    MAX_NAME_CHARS,
    SAFE_NAME_PATTERN,
    safe_folder_name,
)

FALLBACK = "exp_" + "a" * 32
# Text as hostile as pandas or a user can make it: lone surrogates, controls, fullwidth.
names = st.text(
    st.one_of(
        st.characters(),
        st.characters(categories=["Cs"]),
        st.sampled_from("./\\:．／＼\x00\n\r\t ~$%#?*|<>\"'"),
    ),
    max_size=200,
)


@given(names)
@settings(max_examples=400, deadline=None)
def test_a_safe_name_is_always_one_plain_path_part(name):
    safe = safe_folder_name(name, FALLBACK)
    assert re.fullmatch(SAFE_NAME_PATTERN, safe) or safe == FALLBACK
    assert len(safe) <= MAX_NAME_CHARS
    assert safe not in (".", "..", "")
    assert safe[0] not in ". " and safe[-1] not in ". "
    shared = Path("/srv/root/automl_generated_code")
    assert (shared / safe / "run").resolve().parent.parent == shared
    assert safe_folder_name(safe, FALLBACK) == safe, "idempotent"


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,40}", fullmatch=True))
def test_plain_names_are_kept_as_they_are(name):
    assert safe_folder_name(name, FALLBACK) == (
        name if name.upper() not in _DEVICES else "_" + name
    )


_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("penguins", "penguins"),
        ("Ｐｅｎｇｕｉｎｓ ２０２６", "Penguins 2026"),  # NFKC first
        ("．．／．．／x", "_.._x"),
        ("..", FALLBACK),
        ("\u202eevil\u202c.py", "_evil_.py"),
        ("nul.txt", "_nul.txt"),
        ("a" * 100 + ".", "a" * 80),
        ("x" * 79 + " .y", "x" * 79),
    ],
)
def test_examples(name, expected):
    assert safe_folder_name(name, FALLBACK) == expected
    assert unicodedata.is_normalized("NFKC", expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("automl_generated_code", "automl_generated_code"), ("a/./b/", "a/b"), ("a\\b", "a/b")],
)
def test_shared_folder_setting_is_normalized(value, expected):
    assert normalize_shared_folder(value) == expected


@pytest.mark.parametrize("value", ["", "/", "/abs", "../up", "a/../../b", "C:\\x", "c:x", "a\nb"])
def test_shared_folder_setting_must_stay_below_the_root(value):
    with pytest.raises(TraitError, match="shared_folder"):
        normalize_shared_folder(value)


def test_default_order_is_best_first_for_metrics_and_ascending_otherwise():
    def query(**args):
        return run_query(args.get, page_size=50, max_page_size=500)

    assert query().resolved_order("AUC_weighted") == "desc"
    assert query().resolved_order("normalized_root_mean_squared_error") == "asc"
    assert query(sort="metrics.log_loss").resolved_order("AUC_weighted") == "asc"
    assert query(sort="metrics.r2_score").resolved_order("AUC_weighted") == "desc"
    assert query(sort="fit_time").resolved_order("AUC_weighted") == "asc"
    assert query(sort="fit_time", order="desc").resolved_order("AUC_weighted") == "desc"
    assert query().store_order_by == "primary_metric_value"
    assert query(limit="7", offset="3").limit == 7


def test_the_codegen_body_accepts_nothing_but_overwrite():
    assert codegen_overwrite(b"") is False
    assert codegen_overwrite(b"  \n") is False
    assert codegen_overwrite(b'{"overwrite": true}') is True
    assert codegen_overwrite(b"{}") is False
    for body in (b'{"overwrite": 0}', b'{"x": 1}', b"[]", b"nope", b"\xff"):
        with pytest.raises(ApiError) as caught:
            codegen_overwrite(body)
        assert caught.value.status_code == 400


def test_redaction_removes_absolute_paths_but_keeps_the_words():
    text = "run X not found in the run store at /home/u/.local/share/store (see C:\\Users\\u\\s)"
    assert redact_paths(text) == "run X not found in the run store at <path> (see <path>)"
    assert redact_paths("at /srv/s/store.db", [("/srv/s", "<store>")]) == "at <store>/store.db"
    assert redact_paths("completed/failed runs and file:///etc/x") == (
        "completed/failed runs and <path>"
    )
