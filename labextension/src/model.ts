/**
 * The sidebar's state: experiments, the chosen experiment's page of runs, and the polling
 * that keeps both live while something trains. Views read it and re-render on `changed`.
 */
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import type { AutoMLApi, IExperiment, IRunDetail, IRunPage } from './api';
import { ApiError } from './apiError';

/** While nothing runs, polling slows to this multiple of the interval from the settings. */
const IDLE_FACTOR = 10;
export const PAGE_SIZE = 50;

export interface ISortState {
  /** `primary_metric`, `metrics.<name>`, `fit_time`, `created_at` or `iteration`. */
  sort: string;
  /** As the server resolved it: metrics default to best first. */
  order: 'asc' | 'desc' | undefined;
}

export class SidebarModel {
  constructor(
    readonly api: AutoMLApi,
    intervalSeconds: number
  ) {
    this._intervalMs = intervalSeconds * 1000;
    this._poll = new Poll({
      factory: () => this.refresh(),
      frequency: this.frequency(),
      // Paused while the browser tab is hidden or the sidebar is collapsed.
      standby: () => !this._visible || 'when-hidden',
      name: 'jupyter-automl-codegen:models'
    });
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }
  get experiments(): readonly IExperiment[] {
    return this._experiments;
  }
  get selected(): IExperiment | null {
    return this._experiments.find(e => e.id === this._selectedId) ?? null;
  }
  get runs(): IRunPage | null {
    return this._runs;
  }
  get sortState(): ISortState {
    return { sort: this._query.sort, order: this._runs?.order };
  }
  get error(): ApiError | null {
    return this._error;
  }
  /** True until the first answer (or error) from the server. */
  get loading(): boolean {
    return this._loading;
  }
  get anyRunning(): boolean {
    return this._experiments.some(
      e => e.status === 'running' || e.status === 'queued'
    );
  }
  /** Run ids whose code is being generated, to show a busy button. */
  get pending(): ReadonlySet<string> {
    return this._pending;
  }

  set intervalSeconds(seconds: number) {
    this._intervalMs = seconds * 1000;
    this._poll.frequency = this.frequency();
  }

  set visible(visible: boolean) {
    this._visible = visible;
    if (visible) {
      void this._poll.refresh();
    }
  }

  /** Loads the experiments and the chosen experiment's runs now. */
  async refresh(): Promise<void> {
    // Polls, clicks and commands can overlap: only the latest request's answer is shown.
    const ticket = ++this._ticket;
    try {
      const { items } = await this.api.listExperiments();
      const selectedId = items.some(e => e.id === this._selectedId)
        ? this._selectedId
        : (items[0]?.id ?? null);
      const query =
        selectedId === this._selectedId ? this._query : DEFAULT_QUERY;
      const runs = selectedId
        ? await this.api.listRuns(selectedId, { ...query, limit: PAGE_SIZE })
        : null;
      if (ticket !== this._ticket) {
        return;
      }
      this._experiments = items;
      this._selectedId = selectedId;
      this._query = { ...query };
      this._runs = runs;
      this._error = null;
    } catch (error) {
      if (ticket !== this._ticket) {
        return;
      }
      this._error =
        error instanceof ApiError
          ? error
          : new ApiError(String(error), 0, 'unknown');
    } finally {
      this._loading = false;
      this._poll.frequency = this.frequency();
      this._changed.emit();
    }
  }

  select(experimentId: string): void {
    if (experimentId === this._selectedId) {
      return;
    }
    this._selectedId = experimentId;
    this._runs = null;
    this._query = { ...DEFAULT_QUERY };
    this._changed.emit();
    void this._poll.refresh();
  }

  /** Sorts by `sort` in its natural order (best first); the current key again flips it. */
  sortBy(sort: string): void {
    const current = this._runs?.order;
    const flip = sort === this._query.sort && current !== undefined;
    this._query = {
      sort,
      order: flip ? (current === 'desc' ? 'asc' : 'desc') : undefined,
      offset: 0
    };
    void this._poll.refresh();
  }

  page(offset: number): void {
    this._query.offset = Math.max(0, offset);
    void this._poll.refresh();
  }

  /** A run's details once loaded (a finished run's record does not change), else null. */
  detail(runId: string): IRunDetail | ApiError | null {
    const cached = this._details.get(runId);
    if (cached === undefined) {
      this._details.set(runId, null);
      this.api
        .getRun(runId)
        .catch(error =>
          error instanceof ApiError
            ? error
            : new ApiError(String(error), 0, 'unknown')
        )
        .then(result => {
          this._details.set(runId, result);
          this._changed.emit();
        });
    }
    return cached ?? null;
  }

  /** Marks a run busy while `work` runs, so its button shows progress. */
  async withPending<T>(runId: string, work: () => Promise<T>): Promise<T> {
    this._pending.add(runId);
    this._changed.emit();
    try {
      return await work();
    } finally {
      this._pending.delete(runId);
      this._changed.emit();
    }
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private frequency(): IPoll.Frequency {
    const interval = this.anyRunning
      ? this._intervalMs
      : this._intervalMs * IDLE_FACTOR;
    return { interval, backoff: true, max: this._intervalMs * IDLE_FACTOR * 3 };
  }

  private _changed = new Signal<this, void>(this);
  private _experiments: IExperiment[] = [];
  private _selectedId: string | null = null;
  private _runs: IRunPage | null = null;
  private _query: IQuery = { ...DEFAULT_QUERY };
  private _error: ApiError | null = null;
  private _loading = true;
  private _visible = false;
  private _intervalMs: number;
  private _pending = new Set<string>();
  private _ticket = 0;
  private _details = new Map<string, IRunDetail | ApiError | null>();
  private _poll: Poll;
}

interface IQuery {
  sort: string;
  /** Undefined: the server's natural order for the key (best first for metrics). */
  order: 'asc' | 'desc' | undefined;
  offset: number;
}

const DEFAULT_QUERY: IQuery = {
  sort: 'primary_metric',
  order: undefined,
  offset: 0
};
