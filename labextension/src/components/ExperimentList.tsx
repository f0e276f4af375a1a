/** The experiments of the store, newest first; a click (or Enter) shows one's models. */
import * as React from 'react';

import { formatMetric, formatStarted, shortMetricLabel } from '../format';
import { SidebarModel } from '../model';
import { useTrans } from '../translation';
import { StatusBadge } from './StatusBadge';

export function ExperimentList({
  model
}: {
  model: SidebarModel;
}): React.ReactElement {
  const trans = useTrans();
  const selectedId = model.selected?.id;
  return (
    <section
      className="jp-AutoMLCodegen-experiments"
      aria-label={trans.__('Experiments')}
    >
      <h3>{trans.__('Experiments')}</h3>
      <ul>
        {model.experiments.map(experiment => (
          <li
            key={experiment.id}
            data-experiment-id={experiment.id}
            className={
              experiment.id === selectedId ? 'jp-mod-selected' : undefined
            }
          >
            <button
              className="jp-AutoMLCodegen-experiment"
              aria-pressed={experiment.id === selectedId}
              onClick={() => model.select(experiment.id)}
              title={experiment.id}
            >
              <span className="jp-AutoMLCodegen-experiment-name">
                {experiment.name}
              </span>
              <StatusBadge status={experiment.status} />
              <span className="jp-AutoMLCodegen-experiment-meta">
                {experiment.task} ·{' '}
                {trans._n('%1 model', '%1 models', experiment.num_runs)} ·{' '}
                {trans.__('best')} {shortMetricLabel(experiment.primary_metric)}{' '}
                <strong>
                  {formatMetric(experiment.best_run?.primary_metric.value)}
                </strong>{' '}
                · {formatStarted(experiment.started_at, trans)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
