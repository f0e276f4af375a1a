/** Every metric of a run, by name, with its score time and id. */
import * as React from 'react';

import { IRun } from '../api';
import { formatMetric, formatSeconds, metricLabel } from '../format';
import { useTrans } from '../translation';

export function MetricsGrid({ run }: { run: IRun }): React.ReactElement {
  const trans = useTrans();
  const entries = Object.entries(run.metrics).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  return (
    <dl className="jp-AutoMLCodegen-metrics">
      {entries.map(([name, value]) => (
        <React.Fragment key={name}>
          <dt>{metricLabel(name)}</dt>
          <dd>{formatMetric(value)}</dd>
        </React.Fragment>
      ))}
      <dt>{trans.__('score time')}</dt>
      <dd>{formatSeconds(run.score_time, trans)}</dd>
      <dt>{trans.__('run id')}</dt>
      <dd>
        <code>{run.id}</code>
      </dd>
    </dl>
  );
}
