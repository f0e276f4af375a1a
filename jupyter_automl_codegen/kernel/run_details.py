"""The panel's description of one run: metrics, algorithm, hyperparameters or ensemble
members, featurization.

Everything shown comes from user data (column names, experiment names, error texts), so
every value is HTML-escaped; nothing from the store is ever markup.
"""

from __future__ import annotations

from html import escape

from ..listing import algorithm_label
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
    descriptions = parent.properties.get("featurization_descriptions") or {}
    if descriptions:
        items = "".join(
            f"<li><b>{escape(str(name))}</b>: {escape(str(text))}</li>"
            for name, text in descriptions.items()
        )
        parts.append(f"<h5>Featurization</h5><ul>{items}</ul>")
    validation = parent.properties.get("validation_description")
    if validation:
        parts.append(f"<p>Validation: {escape(str(validation))}</p>")
    return "<div class='automl-codegen-run-details'>" + "".join(parts) + "</div>"


def _number(value) -> str:
    return f"{value:.6g}" if isinstance(value, (int, float)) else escape(str(value))


def _table(title: str, header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows)
    return f"<h5>{escape(title)}</h5><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


__all__ = ["run_details_html"]
