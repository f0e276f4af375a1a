/** The "Sort by" select above the leaderboard: any metric, fit time or iteration. */
import * as React from 'react';

import { IExperiment, IRun } from '../api';
import { metricLabel } from '../format';
import {
  FIT_TIME,
  ITERATION,
  metricSortKey,
  otherMetricNames,
  PRIMARY
} from '../sorting';
import { useTrans } from '../translation';

export interface ISortByControlProps {
  experiment: IExperiment;
  runs: readonly IRun[];
  sort: string;
  onSort: (key: string) => void;
}

export function SortByControl(props: ISortByControlProps): React.ReactElement {
  const trans = useTrans();
  const { experiment, runs, sort, onSort } = props;
  const metricNames = otherMetricNames(runs, experiment.primary_metric);
  return (
    <label className="jp-AutoMLCodegen-sortby">
      {trans.__('Sort by')}{' '}
      <select value={sort} onChange={event => onSort(event.target.value)}>
        <option value={PRIMARY}>
          {trans.__('%1 (primary)', metricLabel(experiment.primary_metric))}
        </option>
        {metricNames.map(name => (
          <option key={name} value={metricSortKey(name)}>
            {metricLabel(name)}
          </option>
        ))}
        <option value={FIT_TIME}>{trans.__('fit time')}</option>
        <option value={ITERATION}>{trans.__('iteration')}</option>
      </select>
    </label>
  );
}
