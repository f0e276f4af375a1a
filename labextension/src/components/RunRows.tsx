/**
 * One model of the leaderboard: its row (rank, algorithm, buttons, metric, fit time) and,
 * when opened, a details row. The row is in the tab order; Enter or Space opens and closes
 * it, ArrowRight and ArrowLeft too, ArrowDown and ArrowUp move to the next and previous model
 * (the tree grid pattern: the leaderboard is a table whose rows expand).
 */
import { Button, caretDownIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { IRun } from '../api';
import { formatMetric, formatSeconds, shortMetricLabel } from '../format';
import { SidebarModel } from '../model';
import { CommandIDs } from '../tokens';
import { useTrans } from '../translation';
import {
  CodeGenerationFailed,
  codeGenerationFailure
} from './CodeGenerationFailed';
import { MetricsGrid } from './MetricsGrid';
import { RowMenuButton } from './RowMenuButton';
import { RunDetails } from './RunDetails';
import { StatusBadge } from './StatusBadge';

export interface IRunRowsProps {
  run: IRun;
  rank: number;
  best: boolean;
  expanded: boolean;
  toggle: () => void;
  /** The metric the leaderboard is sorted by when it is not the primary one. */
  sortValue: string | null;
  model: SidebarModel;
  commands: CommandRegistry;
}

export function RunRows(props: IRunRowsProps): React.ReactElement {
  const { run, rank, best, expanded, toggle, sortValue, model, commands } =
    props;
  const trans = useTrans();
  const busy = model.pending.has(run.id);
  const failure = codeGenerationFailure(run);
  const canOpen = run.status === 'completed' && failure === null;
  const classes = ['jp-AutoMLCodegen-run'];
  if (best) {
    classes.push('jp-AutoMLCodegen-best');
  }
  if (run.status === 'failed') {
    classes.push('jp-AutoMLCodegen-failed');
  }
  const onKeyDown = (event: React.KeyboardEvent<HTMLTableRowElement>) => {
    // Keys pressed on the row's own buttons belong to those buttons.
    if (event.target !== event.currentTarget) {
      return;
    }
    const row = event.currentTarget;
    switch (event.key) {
      case 'Enter':
      case ' ':
        toggle();
        break;
      case 'ArrowRight':
        if (!expanded) {
          toggle();
        }
        break;
      case 'ArrowLeft':
        if (expanded) {
          toggle();
        }
        break;
      case 'ArrowDown':
        focusSibling(row, 'next');
        break;
      case 'ArrowUp':
        focusSibling(row, 'previous');
        break;
      default:
        return;
    }
    event.preventDefault();
  };
  return (
    <>
      <tr
        className={classes.join(' ')}
        data-run-id={run.id}
        tabIndex={0}
        aria-level={1}
        onClick={toggle}
        onKeyDown={onKeyDown}
        aria-expanded={expanded}
        title={trans.__('Show all metrics')}
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
              <span
                className="jp-AutoMLCodegen-best-mark"
                title={trans.__('Best model')}
              >
                {trans.__('★ best')}
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
                  {busy
                    ? trans.__('Generating…')
                    : trans.__('View generated code')}
                </Button>
                <RowMenuButton runId={run.id} commands={commands} />
              </>
            )}
            {failure !== null && (
              <CodeGenerationFailed reason={failure} trans={trans} />
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
          {formatSeconds(run.fit_time, trans)}
        </td>
      </tr>
      {(expanded || run.status === 'failed') && (
        <tr
          className="jp-AutoMLCodegen-details"
          data-details-for={run.id}
          aria-level={2}
        >
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

/** Moves the focus to the next or previous model row, past any details row. */
function focusSibling(row: HTMLElement, direction: 'next' | 'previous'): void {
  let sibling =
    direction === 'next' ? row.nextElementSibling : row.previousElementSibling;
  while (sibling && !sibling.classList.contains('jp-AutoMLCodegen-run')) {
    sibling =
      direction === 'next'
        ? sibling.nextElementSibling
        : sibling.previousElementSibling;
  }
  (sibling as HTMLElement | null)?.focus();
}
