/**
 * A column header that sorts the leaderboard: a button inside the cell, so Tab reaches it
 * and Enter or Space sorts; the cell tells assistive technology the order (`aria-sort`).
 */
import * as React from 'react';

import { ariaSort, SortOrder, sortArrow } from '../sorting';

export interface ISortableHeaderProps {
  /** The sort key the header stands for (`primary_metric`, `fit_time`). */
  sortKey: string;
  /** The key and order the leaderboard is sorted by now. */
  current: string;
  order: SortOrder | undefined;
  onSort: (key: string) => void;
  className: string;
  title?: string;
  children: React.ReactNode;
}

export function SortableHeader(
  props: ISortableHeaderProps
): React.ReactElement {
  const active = props.current === props.sortKey;
  return (
    <th
      scope="col"
      className={`jp-AutoMLCodegen-sortable ${props.className}`}
      aria-sort={ariaSort(active, props.order)}
      title={props.title}
    >
      <button
        type="button"
        className="jp-AutoMLCodegen-sort-button"
        onClick={() => props.onSort(props.sortKey)}
      >
        {props.children}
        <span aria-hidden="true">{active ? sortArrow(props.order) : ''}</span>
      </button>
    </th>
  );
}
