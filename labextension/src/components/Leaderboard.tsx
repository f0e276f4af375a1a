/** The chosen experiment's models, ranked as the server sorts them, a page at a time. */
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { IExperiment, IRunPage } from '../api';
import { metricLabel, shortMetricLabel } from '../format';
import { SidebarModel } from '../model';
import { FIT_TIME, PRIMARY, sortedMetric } from '../sorting';
import { useTrans } from '../translation';
import { Pager } from './Pager';
import { RunRows } from './RunRows';
import { SortableHeader } from './SortableHeader';
import { SortByControl } from './SortByControl';

export interface ILeaderboardProps {
  experiment: IExperiment;
  page: IRunPage | null;
  model: SidebarModel;
  commands: CommandRegistry;
}

export function Leaderboard(props: ILeaderboardProps): React.ReactElement {
  const { experiment, page, model, commands } = props;
  const trans = useTrans();
  const [expanded, setExpanded] = React.useState<string | null>(null);
  if (!page) {
    return (
      <p className="jp-AutoMLCodegen-loading">{trans.__('Loading models…')}</p>
    );
  }
  const bestId = experiment.best_run?.id;
  const { sort, order } = model.sortState;
  const onSort = (key: string) => model.sortBy(key);
  return (
    <section
      className="jp-AutoMLCodegen-leaderboard"
      aria-label={trans.__('Models')}
    >
      <div className="jp-AutoMLCodegen-leaderboard-head">
        <h3>{trans.__('Models of %1', experiment.name)}</h3>
        <SortByControl
          experiment={experiment}
          runs={page.items}
          sort={sort}
          onSort={onSort}
        />
      </div>
      {/* A tree grid: a table whose rows expand into the model's details. */}
      <table
        className="jp-AutoMLCodegen-table"
        role="treegrid"
        aria-label={trans.__('Models of %1', experiment.name)}
      >
        <thead>
          <tr>
            <th scope="col" className="jp-AutoMLCodegen-col-rank">
              <abbr title={trans.__('Rank')}>#</abbr>
            </th>
            <th scope="col">{trans.__('Model')}</th>
            <SortableHeader
              sortKey={PRIMARY}
              current={sort}
              order={order}
              onSort={onSort}
              className="jp-AutoMLCodegen-col-metric"
              title={metricLabel(experiment.primary_metric)}
            >
              {shortMetricLabel(experiment.primary_metric)}
            </SortableHeader>
            <SortableHeader
              sortKey={FIT_TIME}
              current={sort}
              order={order}
              onSort={onSort}
              className="jp-AutoMLCodegen-col-time"
            >
              {trans.__('Fit time')}
            </SortableHeader>
          </tr>
        </thead>
        <tbody>
          {page.items.map((run, index) => (
            <RunRows
              key={run.id}
              run={run}
              rank={page.offset + index + 1}
              best={run.id === bestId}
              expanded={expanded === run.id}
              toggle={() => setExpanded(expanded === run.id ? null : run.id)}
              sortValue={sortedMetric(sort)}
              model={model}
              commands={commands}
            />
          ))}
        </tbody>
      </table>
      {page.items.length === 0 && (
        <p className="jp-AutoMLCodegen-state">
          {trans.__('No models yet: the first trials are training.')}
        </p>
      )}
      <Pager page={page} model={model} />
    </section>
  );
}
