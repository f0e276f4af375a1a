/**
 * A stand-in for the server extension's REST API, answering the model as the real one
 * does (runs sorted on the server, the resolved order echoed), and counting what it is
 * asked. The model under test is the real one; only the network behind it is replaced.
 */
import type {
  AutoMLApi,
  IExperiment,
  IRun,
  IRunDetail,
  IRunPage,
  IRunQuery
} from '../api';
import { ApiError } from '../apiError';

export function experiment(
  id: string,
  status: IExperiment['status'] = 'completed'
): IExperiment {
  return {
    id,
    name: id,
    task: 'classification',
    label: 'species',
    status,
    started_at: null,
    ended_at: null,
    num_runs: 2,
    primary_metric: 'accuracy',
    best_run: null
  };
}

function run(id: string, accuracy: number, fitTime: number): IRun {
  return {
    id,
    iteration: 0,
    algorithm: 'LogisticRegression',
    status: 'completed',
    primary_metric: {
      name: 'accuracy',
      value: accuracy,
      greater_is_better: true
    },
    metrics: { accuracy },
    fit_time: fitTime,
    score_time: 0.1,
    created_at: null,
    started_at: null,
    ended_at: null,
    has_code: false,
    code_generation: { status: 'on_demand', reason: null },
    error: null
  };
}

/** Best first for metrics, smallest first for everything else: the server's natural order. */
function naturalOrder(sort: string): 'asc' | 'desc' {
  return sort === 'primary_metric' || sort.startsWith('metrics.')
    ? 'desc'
    : 'asc';
}

export class FakeServer {
  experiments: IExperiment[] = [experiment('penguins')];
  runs: IRun[] = [run('fast', 0.9, 1), run('slow', 0.95, 5)];
  /** When set, every call fails with it (a server that went away). */
  failure: ApiError | null = null;
  experimentCalls = 0;
  runQueries: { experimentId: string; query: IRunQuery }[] = [];

  get api(): AutoMLApi {
    return {
      listExperiments: async () => {
        this.experimentCalls++;
        this.fail();
        return { items: this.experiments.map(e => ({ ...e })) };
      },
      listRuns: async (experimentId: string, query: IRunQuery) => {
        this.runQueries.push({ experimentId, query: { ...query } });
        this.fail();
        return this.page(query);
      },
      getRun: async (runId: string) =>
        ({ ...this.runs.find(r => r.id === runId) }) as IRunDetail,
      generateCode: async () => {
        throw new Error('not used by these tests');
      }
    } as unknown as AutoMLApi;
  }

  get lastQuery(): IRunQuery {
    return this.runQueries[this.runQueries.length - 1].query;
  }

  private page(query: IRunQuery): IRunPage {
    const sort = query.sort ?? 'primary_metric';
    const order = query.order ?? naturalOrder(sort);
    const value = (r: IRun) =>
      sort === 'fit_time' ? (r.fit_time ?? 0) : (r.primary_metric.value ?? 0);
    const items = [...this.runs].sort((a, b) =>
      order === 'asc' ? value(a) - value(b) : value(b) - value(a)
    );
    return {
      total: items.length,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
      sort,
      order,
      items
    };
  }

  private fail(): void {
    if (this.failure) {
      throw this.failure;
    }
  }
}
