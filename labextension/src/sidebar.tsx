/**
 * The left sidebar: experiments on top, the chosen experiment's leaderboard below, and on
 * every model row the **View generated code** button and a menu for the other files.
 */
import {
  Button,
  ReactWidget,
  ToolbarButtonComponent,
  UseSignal,
  caretDownIcon,
  ellipsesIcon,
  refreshIcon
} from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import {
  ApiError,
  CODE_FILES,
  IExperiment,
  IRun,
  IRunDetail,
  IRunPage
} from './api';
import {
  forecastingRows,
  formatMetric,
  formatSeconds,
  formatStarted,
  metricLabel,
  shortMetricLabel
} from './format';
import { automlIcon } from './icon';
import { PAGE_SIZE, SidebarModel } from './model';
import { CommandIDs, SIDEBAR_ID } from './tokens';

export class ModelsSidebar extends ReactWidget {
  constructor(
    readonly model: SidebarModel,
    private readonly commands: CommandRegistry
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.title.icon = automlIcon;
    this.title.caption = 'AutoML models';
    this.addClass('jp-AutoMLCodegen');
  }

  protected render(): React.ReactElement {
    return (
      <UseSignal signal={this.model.changed}>
        {() => <SidebarView model={this.model} commands={this.commands} />}
      </UseSignal>
    );
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.visible = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.visible = false;
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}

interface IViewProps {
  model: SidebarModel;
  commands: CommandRegistry;
}

function SidebarView({ model, commands }: IViewProps): React.ReactElement {
  return (
    <div className="jp-AutoMLCodegen-body">
      <header className="jp-AutoMLCodegen-header">
        <h2>AutoML models</h2>
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip="Refresh models"
          className="jp-AutoMLCodegen-refresh"
          onClick={() => void commands.execute(CommandIDs.refresh)}
        />
      </header>
      <SidebarContent model={model} commands={commands} />
    </div>
  );
}

function SidebarContent({ model, commands }: IViewProps): React.ReactElement {
  if (model.error) {
    return (
      <ErrorState
        message={model.error.message}
        missing={model.error.extensionMissing}
      />
    );
  }
  if (model.loading) {
    return <p className="jp-AutoMLCodegen-loading">Loading experiments…</p>;
  }
  if (model.experiments.length === 0) {
    return <EmptyState />;
  }
  const selected = model.selected;
  return (
    <>
      <ExperimentList model={model} />
      {selected && (
        <Leaderboard
          experiment={selected}
          page={model.runs}
          model={model}
          commands={commands}
        />
      )}
    </>
  );
}

function ErrorState(props: {
  message: string;
  missing: boolean;
}): React.ReactElement {
  return (
    <div className="jp-AutoMLCodegen-state jp-AutoMLCodegen-error" role="alert">
      <p>
        <strong>
          {props.missing ? 'Server extension missing' : 'Cannot load models'}
        </strong>
      </p>
      <p>{props.message}</p>
      {props.missing && (
        <>
          <p>Enable it and restart JupyterLab:</p>
          <pre>jupyter server extension enable jupyter_automl_codegen</pre>
          <p>
            If that fails, reinstall the package in the environment that runs
            the server: <code>pip install jupyter-automl-codegen</code>.
          </p>
        </>
      )}
    </div>
  );
}

function EmptyState(): React.ReactElement {
  return (
    <div className="jp-AutoMLCodegen-state jp-AutoMLCodegen-empty">
      <p>
        <strong>No experiments yet.</strong> Train one and its models appear
        here, each with the code that rebuilds it.
      </p>
      <p>From a terminal:</p>
      <pre>
        automl-codegen train data.csv --task classification --label target
      </pre>
      <p>From Python:</p>
      <pre>
        {`from jupyter_automl_codegen import AutoMLConfig, submit
submit(AutoMLConfig(task="classification",
                    label_column_name="target"),
       "data.csv")`}
      </pre>
      <p>In a notebook, to browse the models there:</p>
      <pre>{`%load_ext jupyter_automl_codegen
%codegen`}</pre>
    </div>
  );
}

function StatusBadge({ status }: { status: string }): React.ReactElement {
  return (
    <span
      className={`jp-AutoMLCodegen-status jp-AutoMLCodegen-status-${status}`}
    >
      {status}
    </span>
  );
}

function ExperimentList({
  model
}: {
  model: SidebarModel;
}): React.ReactElement {
  const selectedId = model.selected?.id;
  return (
    <section className="jp-AutoMLCodegen-experiments" aria-label="Experiments">
      <h3>Experiments</h3>
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
                {experiment.task} · {experiment.num_runs} models · best{' '}
                {shortMetricLabel(experiment.primary_metric)}{' '}
                <strong>
                  {formatMetric(experiment.best_run?.primary_metric.value)}
                </strong>{' '}
                · {formatStarted(experiment.started_at)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface ILeaderboardProps extends IViewProps {
  experiment: IExperiment;
  page: IRunPage | null;
}

/** Sort keys a header offers; other metrics sort from the select above the table. */
const FIT_TIME = 'fit_time';
const PRIMARY = 'primary_metric';

function Leaderboard(props: ILeaderboardProps): React.ReactElement {
  const { experiment, page, model, commands } = props;
  const [expanded, setExpanded] = React.useState<string | null>(null);
  if (!page) {
    return <p className="jp-AutoMLCodegen-loading">Loading models…</p>;
  }
  const bestId = experiment.best_run?.id;
  const metricNames = otherMetricNames(page.items, experiment.primary_metric);
  const { sort, order } = model.sortState;
  const arrow = (key: string) =>
    sort === key ? (order === 'desc' ? ' ▼' : ' ▲') : '';
  return (
    <section className="jp-AutoMLCodegen-leaderboard" aria-label="Models">
      <div className="jp-AutoMLCodegen-leaderboard-head">
        <h3>Models of {experiment.name}</h3>
        <label className="jp-AutoMLCodegen-sortby">
          Sort by{' '}
          <select
            value={sort}
            onChange={event => model.sortBy(event.target.value)}
          >
            <option value={PRIMARY}>
              {metricLabel(experiment.primary_metric)} (primary)
            </option>
            {metricNames.map(name => (
              <option key={name} value={`metrics.${name}`}>
                {metricLabel(name)}
              </option>
            ))}
            <option value={FIT_TIME}>fit time</option>
            <option value="iteration">iteration</option>
          </select>
        </label>
      </div>
      <table className="jp-AutoMLCodegen-table">
        <thead>
          <tr>
            <th scope="col" className="jp-AutoMLCodegen-col-rank">
              #
            </th>
            <th scope="col">Model</th>
            <th
              scope="col"
              className="jp-AutoMLCodegen-sortable jp-AutoMLCodegen-col-metric"
              aria-sort={ariaSort(sort === PRIMARY, order)}
              onClick={() => model.sortBy(PRIMARY)}
              title={metricLabel(experiment.primary_metric)}
            >
              {shortMetricLabel(experiment.primary_metric)}
              {arrow(PRIMARY)}
            </th>
            <th
              scope="col"
              className="jp-AutoMLCodegen-sortable jp-AutoMLCodegen-col-time"
              aria-sort={ariaSort(sort === FIT_TIME, order)}
              onClick={() => model.sortBy(FIT_TIME)}
            >
              Fit time{arrow(FIT_TIME)}
            </th>
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
              sortValue={sort.startsWith('metrics.') ? sort.slice(8) : null}
              model={model}
              commands={commands}
            />
          ))}
        </tbody>
      </table>
      {page.items.length === 0 && (
        <p className="jp-AutoMLCodegen-state">
          No models yet: the first trials are training.
        </p>
      )}
      <Pager page={page} model={model} />
    </section>
  );
}

interface IRunRowsProps extends IViewProps {
  run: IRun;
  rank: number;
  best: boolean;
  expanded: boolean;
  toggle: () => void;
  sortValue: string | null;
}

function RunRows(props: IRunRowsProps): React.ReactElement {
  const { run, rank, best, expanded, toggle, sortValue, model, commands } =
    props;
  const busy = model.pending.has(run.id);
  const canOpen = run.status === 'completed';
  const classes = ['jp-AutoMLCodegen-run'];
  if (best) {
    classes.push('jp-AutoMLCodegen-best');
  }
  if (run.status === 'failed') {
    classes.push('jp-AutoMLCodegen-failed');
  }
  return (
    <>
      <tr
        className={classes.join(' ')}
        data-run-id={run.id}
        onClick={toggle}
        aria-expanded={expanded}
        title="Show all metrics"
      >
        <td>{rank}</td>
        <td className="jp-AutoMLCodegen-algorithm">
          <div className="jp-AutoMLCodegen-algorithm-line">
            <caretDownIcon.react
              tag="span"
              className={expanded ? '' : 'jp-AutoMLCodegen-collapsed'}
            />
            <span>{run.algorithm ?? '–'}</span>
            {best && (
              <span className="jp-AutoMLCodegen-best-mark" title="Best model">
                ★ best
              </span>
            )}
            <StatusBadge status={run.status} />
          </div>
          <div
            className="jp-AutoMLCodegen-run-line"
            onClick={event => event.stopPropagation()}
          >
            {canOpen && (
              <>
                <Button
                  small
                  className="jp-AutoMLCodegen-view-code"
                  disabled={busy}
                  onClick={() =>
                    void commands.execute(CommandIDs.openCode, {
                      runId: run.id
                    })
                  }
                >
                  {busy ? 'Generating…' : 'View generated code'}
                </Button>
                <ToolbarButtonComponent
                  icon={ellipsesIcon}
                  tooltip="Open other generated files"
                  className="jp-AutoMLCodegen-row-menu"
                  onClick={() => openFileMenu(commands, run.id)}
                />
              </>
            )}
          </div>
        </td>
        <td className="jp-AutoMLCodegen-number">
          {formatMetric(run.primary_metric.value)}
          {sortValue && (
            <div className="jp-AutoMLCodegen-sortvalue">
              {shortMetricLabel(sortValue)}:{' '}
              {formatMetric(run.metrics[sortValue])}
            </div>
          )}
        </td>
        <td className="jp-AutoMLCodegen-number">
          {formatSeconds(run.fit_time)}
        </td>
      </tr>
      {(expanded || run.status === 'failed') && (
        <tr className="jp-AutoMLCodegen-details" data-details-for={run.id}>
          <td colSpan={4}>
            {run.error && (
              <pre className="jp-AutoMLCodegen-run-error">{run.error}</pre>
            )}
            {expanded && <MetricsGrid run={run} />}
            {expanded && run.status === 'completed' && (
              <RunDetails detail={model.detail(run.id)} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function MetricsGrid({ run }: { run: IRun }): React.ReactElement {
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
      <dt>score time</dt>
      <dd>{formatSeconds(run.score_time)}</dd>
      <dt>run id</dt>
      <dd>
        <code>{run.id}</code>
      </dd>
    </dl>
  );
}

/** What rebuilds the model: hyperparameters or ensemble members, and the featurization. */
function RunDetails({
  detail
}: {
  detail: IRunDetail | ApiError | null;
}): React.ReactElement {
  if (detail === null) {
    return <p className="jp-AutoMLCodegen-loading">Loading details…</p>;
  }
  if (detail instanceof ApiError) {
    return <p className="jp-AutoMLCodegen-run-error">{detail.message}</p>;
  }
  const { hyperparameters, members, meta_learner, scaler } = detail.properties;
  const descriptions = detail.featurization.descriptions ?? {};
  const forecasting = detail.featurization.forecasting ?? null;
  return (
    <div className="jp-AutoMLCodegen-run-details">
      {members && members.length > 0 && (
        <>
          <h4>Members</h4>
          <ul className="jp-AutoMLCodegen-members">
            {members.map(member => (
              <li key={member.run_id} title={member.run_id}>
                {member.algorithm}
                {member.weight !== undefined && ` × ${member.weight}`}
              </li>
            ))}
          </ul>
          {meta_learner && <p>Meta learner: {meta_learner}</p>}
        </>
      )}
      {hyperparameters && Object.keys(hyperparameters).length > 0 && (
        <>
          <h4>Hyperparameters{scaler ? ` (scaler: ${scaler})` : ''}</h4>
          <dl className="jp-AutoMLCodegen-metrics">
            {Object.entries(hyperparameters)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => (
                <React.Fragment key={name}>
                  <dt>{name}</dt>
                  <dd>{JSON.stringify(value)}</dd>
                </React.Fragment>
              ))}
          </dl>
        </>
      )}
      {forecasting && (
        <>
          <h4>Featurization</h4>
          <dl className="jp-AutoMLCodegen-metrics jp-AutoMLCodegen-forecasting">
            {forecastingRows(forecasting).map(([name, value]) => (
              <React.Fragment key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
        </>
      )}
      {!forecasting && Object.keys(descriptions).length > 0 && (
        <>
          <h4>Featurization</h4>
          <ul className="jp-AutoMLCodegen-featurization">
            {Object.entries(descriptions).map(([group, text]) => (
              <li key={group}>
                <strong>{group}</strong>: {text}
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.featurization.validation && (
        <p>Validation: {detail.featurization.validation}</p>
      )}
    </div>
  );
}

function Pager({
  page,
  model
}: {
  page: IRunPage;
  model: SidebarModel;
}): React.ReactElement | null {
  if (page.total <= page.limit && page.offset === 0) {
    return null;
  }
  const last = Math.min(page.offset + page.items.length, page.total);
  return (
    <div className="jp-AutoMLCodegen-pager">
      <Button
        small
        minimal
        disabled={page.offset === 0}
        onClick={() => model.page(page.offset - PAGE_SIZE)}
      >
        ‹ Previous
      </Button>
      <span>
        {page.offset + 1}–{last} of {page.total}
      </span>
      <Button
        small
        minimal
        disabled={last >= page.total}
        onClick={() => model.page(page.offset + PAGE_SIZE)}
      >
        Next ›
      </Button>
    </div>
  );
}

/** The row menu: every file of the code folder, through the same open command. */
function openFileMenu(commands: CommandRegistry, runId: string): void {
  const menu = new Menu({ commands });
  menu.addClass('jp-AutoMLCodegen-menu');
  for (const file of CODE_FILES) {
    menu.addItem({ command: CommandIDs.openCode, args: { runId, file } });
  }
  const anchor = document.querySelector(
    `#${SIDEBAR_ID} tr[data-run-id="${CSS.escape(runId)}"] .jp-AutoMLCodegen-row-menu`
  );
  const box = anchor?.getBoundingClientRect();
  menu.open(box ? box.left : 0, box ? box.bottom : 0);
}

function otherMetricNames(runs: readonly IRun[], primary: string): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    Object.keys(run.metrics).forEach(name => names.add(name));
  }
  names.delete(primary);
  return [...names].sort();
}

function ariaSort(
  active: boolean,
  order: 'asc' | 'desc' | undefined
): 'ascending' | 'descending' | 'none' {
  if (!active || order === undefined) {
    return 'none';
  }
  return order === 'asc' ? 'ascending' : 'descending';
}
