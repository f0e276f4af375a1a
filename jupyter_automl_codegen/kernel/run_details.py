"""The panel's description of one run: metrics, algorithm, hyperparameters or ensemble
members, featurization.

Everything shown comes from user data (column names, experiment names, error texts), so
every value is HTML-escaped; nothing from the store is ever markup.
"""

from __future__ import annotations

from html import escape

from ..listing import CODE_GENERATION_ERROR, algorithm_label
from ..store import Run, RunStore


def run_details_html(store: RunStore, run: Run) -> str:
    """An HTML fragment describing ``run`` (a child run of any status)."""
    parent = store.get_run(run.parent_id) if run.parent_id else run
    primary = run.primary_metric
    parts = [
        f"<h4>{escape(algorithm_label(run))} &middot; trial {run.iteration} &middot; "
        f"{escape(run.status)}</h4>",
        f"<p>run <code>{escape(run.id)}</code>"
        + ("" if run.fit_time is None else f", trained in {run.fit_time:.2f} s")
        + "</p>",
    ]
    if run.error:
        parts.append(f"<p class='automl-codegen-error'>{escape(run.error[:2000])}</p>")
    failure = code_generation_failure(run)
    if failure:
        parts.append(
            "<p class='automl-codegen-error automl-codegen-codegen-failed'>Code generation "
            f"failed: {escape(failure[:2000])}</p>"
        )
    if run.metrics:
        rows = [
            (f"<b>{escape(name)}</b>" if name == primary else escape(name), _number(value))
            for name, value in sorted(run.metrics.items(), key=lambda item: item[0] != primary)
        ]
        parts.append(_table("Metrics", ("metric", "value"), rows))
    hyperparameters = run.properties.get("hyperparameters") or {}
    if hyperparameters:
        rows = [(escape(str(k)), escape(repr(v))) for k, v in sorted(hyperparameters.items())]
        parts.append(_table("Hyperparameters", ("parameter", "value"), rows))
    members = run.properties.get("members") or []
    if members:
        rows = [
            (escape(str(m.get("run_id"))), escape(f"{m.get('algorithm')}, weight {m['weight']}"))
            if "weight" in m
            else (escape(str(m.get("run_id"))), escape(str(m.get("algorithm"))))
            for m in members
        ]
        parts.append(_table("Ensemble members", ("run", "algorithm"), rows))
    meta = run.properties.get("meta_learner")
    if meta:
        parts.append(f"<p>Meta learner: {escape(str(meta))}</p>")
    forecasting = (
        run.properties.get("featurization") if "forecasting" in parent.properties else None
    )
    descriptions = parent.properties.get("featurization_descriptions") or {}
    if isinstance(forecasting, dict):
        rows = [(escape(name), escape(text)) for name, text in forecasting_rows(forecasting)]
        parts.append(_table("Featurization", ("part", "value"), rows))
    elif descriptions:
        items = "".join(
            f"<li><b>{escape(str(name))}</b>: {escape(str(text))}</li>"
            for name, text in descriptions.items()
        )
        parts.append(f"<h5>Featurization</h5><ul>{items}</ul>")
    validation = parent.properties.get("validation_description")
    if validation:
        parts.append(f"<p>Validation: {escape(str(validation))}</p>")
    return "<div class='automl-codegen-run-details'>" + "".join(parts) + "</div>"


def code_generation_failure(run: Run) -> str | None:
    """Why generating a completed run's code after training failed, else None."""
    if run.status != "completed":
        return None
    return run.properties.get(CODE_GENERATION_ERROR) or None


def forecasting_rows(described: dict) -> list[tuple[str, str]]:
    """A forecasting run's featurization (``properties["featurization"]``) as labelled rows:
    the series and steps, then the model's own features and its use of known features."""

    def listed(values, empty="none") -> str:
        return ", ".join(str(v) for v in values or []) or empty

    ids = described.get("series_id_columns") or []
    rows = [
        ("target", str(described.get("target"))),
        ("time column", str(described.get("time_column"))),
        ("series ids", listed(ids, "(a single series)")),
        ("frequency", str(described.get("frequency"))),
        ("horizon", f"{described.get('horizon')} step(s)"),
        ("season length", f"{described.get('season_length')} step(s)"),
    ]
    if described.get("scope") == "global":
        rows += [
            ("model", "one global model over every series"),
            ("lags", listed(described.get("lags"))),
            (
                "rolling windows",
                listed(
                    f"{w['statistic']} of {w['window']} steps, lag {w['lag']}"
                    for w in described.get("rolling_windows") or []
                ),
            ),
            ("calendar features", listed(described.get("calendar_features"))),
            ("target transforms", listed(described.get("target_transforms"))),
        ]
    else:
        rows.append(("model", "one model per series"))
    if described.get("known_features"):
        rows.append(("known features used", listed(described.get("known_features_used"))))
        rows.append(("known features ignored", listed(described.get("known_features_ignored"))))
    return rows


def _number(value) -> str:
    return f"{value:.6g}" if isinstance(value, (int, float)) else escape(str(value))


def _table(title: str, header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows)
    return f"<h5>{escape(title)}</h5><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


__all__ = ["forecasting_rows", "run_details_html"]
