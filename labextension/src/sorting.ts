/** How the leaderboard presents its sort: the keys its headers offer, arrows and aria-sort. */
import type { IRun } from './api';

export type SortOrder = 'asc' | 'desc';

/** Sort keys a header offers; other metrics sort from the select above the table. */
export const FIT_TIME = 'fit_time';
export const PRIMARY = 'primary_metric';
export const ITERATION = 'iteration';
const METRIC_PREFIX = 'metrics.';

/** The metric a `metrics.<name>` key sorts by, else null. */
export function sortedMetric(sort: string): string | null {
  return sort.startsWith(METRIC_PREFIX)
    ? sort.slice(METRIC_PREFIX.length)
    : null;
}

export function metricSortKey(name: string): string {
  return `${METRIC_PREFIX}${name}`;
}

export function ariaSort(
  active: boolean,
  order: SortOrder | undefined
): 'ascending' | 'descending' | 'none' {
  if (!active || order === undefined) {
    return 'none';
  }
  return order === 'asc' ? 'ascending' : 'descending';
}

export function sortArrow(order: SortOrder | undefined): string {
  if (order === undefined) {
    return '';
  }
  return order === 'desc' ? ' ▼' : ' ▲';
}

/** The metrics the runs report besides the primary one, by name: the select's options. */
export function otherMetricNames(
  runs: readonly IRun[],
  primary: string
): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    Object.keys(run.metrics).forEach(name => names.add(name));
  }
  names.delete(primary);
  return [...names].sort();
}
