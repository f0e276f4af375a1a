/**
 * Typed client of the server extension's REST API (`<base_url>automl-codegen/api/`).
 *
 * Every call goes through `ServerConnection.makeRequest`, so the token, the XSRF cookie and
 * the base URL are handled the way the rest of JupyterLab handles them.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import { ApiError } from './apiError';
import { loadBundle } from './translation';

export { ApiError };

export const API_PREFIX = 'automl-codegen/api';

/** The files a run's code folder holds, in the order the row menu offers them. */
export const CODE_FILES = [
  'training_code.ipynb',
  'script.py',
  'script_run_notebook.ipynb'
] as const;
export type CodeFile = (typeof CODE_FILES)[number];

export type RunStatus =
  'queued' | 'running' | 'completed' | 'failed' | 'canceled';

export interface IMetric {
  name: string;
  value: number | null;
  greater_is_better: boolean | null;
}

export interface IExperiment {
  id: string;
  name: string;
  task: string;
  label: string;
  status: RunStatus;
  started_at: string | null;
  ended_at: string | null;
  num_runs: number;
  primary_metric: string;
  best_run: { id: string; algorithm: string; primary_metric: IMetric } | null;
}

export interface IRun {
  id: string;
  iteration: number | null;
  algorithm: string | null;
  status: RunStatus;
  primary_metric: IMetric;
  metrics: Record<string, number | null>;
  fit_time: number | null;
  score_time: number | null;
  created_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  has_code: boolean;
  /** Whether the run's code is stored, failed to generate (and why), or is rendered on demand. */
  code_generation: ICodeGeneration;
  error: string | null;
}

/** `code_generation` of a run: `reason` says why when `status` is `failed`. */
export interface ICodeGeneration {
  status: 'stored' | 'failed' | 'on_demand' | 'none';
  reason: string | null;
}

export interface IEnsembleMember {
  run_id: string;
  algorithm: string;
  weight?: number;
}

/** `GET runs/{id}`: the summary plus what rebuilds the model. */
export interface IRunDetail extends IRun {
  properties: {
    hyperparameters?: Record<string, unknown>;
    scaler?: string | null;
    members?: IEnsembleMember[];
    meta_learner?: string;
  };
  featurization: {
    columns: {
      columns: { name: string; kind: string; reason: string }[];
    } | null;
    descriptions: Record<string, string> | null;
    validation: string | null;
    /** A forecasting run's series, lags, windows and calendar features; else null. */
    forecasting: IForecastingFeaturization | null;
  };
}

/** `featurization.forecasting` of a forecasting run's detail. */
export interface IForecastingFeaturization {
  target: string;
  time_column: string;
  series_id_columns: string[];
  frequency: string;
  horizon: number;
  season_length: number;
  scope: 'global' | 'per_series';
  lags: number[];
  rolling_windows: { statistic: string; window: number; lag: number }[];
  calendar_features: string[];
  target_transforms: string[];
  known_features: string[];
  known_features_used: string[];
  known_features_ignored: string[];
}

export interface IRunPage {
  total: number;
  limit: number;
  offset: number;
  sort: string;
  order: 'asc' | 'desc';
  items: IRun[];
}

export interface IRunQuery {
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface ICodegenReply {
  run_id: string;
  folder: string;
  files: string[];
  written: boolean;
}

export class AutoMLApi {
  constructor(
    private readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
    private readonly trans: TranslationBundle = loadBundle()
  ) {}

  listExperiments(): Promise<{ items: IExperiment[] }> {
    return this.request('experiments');
  }

  listRuns(experimentId: string, query: IRunQuery): Promise<IRunPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(key, String(value));
      }
    }
    return this.request(
      `experiments/${encodeURIComponent(experimentId)}/runs?${params}`
    );
  }

  getRun(runId: string): Promise<IRunDetail> {
    return this.request(`runs/${encodeURIComponent(runId)}`);
  }

  /** Writes the run's code folder into the shared folder (kept when it is already there). */
  generateCode(runId: string): Promise<ICodegenReply> {
    return this.request(`runs/${encodeURIComponent(runId)}/codegen`, {
      method: 'POST',
      body: '{}'
    });
  }

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const url = URLExt.join(this.settings.baseUrl, API_PREFIX, path);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.settings);
    } catch (error) {
      throw new ApiError(
        this.trans.__(
          'The Jupyter server cannot be reached: %1',
          String(error)
        ),
        0,
        'network'
      );
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) {
      return body as T;
    }
    if (isApiErrorBody(body)) {
      throw new ApiError(body.message, response.status, body.reason);
    }
    if (response.status === 404) {
      throw new ApiError(
        this.trans.__(
          'The server extension jupyter_automl_codegen is not enabled on this Jupyter server.'
        ),
        404,
        'extension_missing'
      );
    }
    throw new ApiError(
      this.trans.__(
        'The server answered %1 %2.',
        response.status,
        response.statusText
      ),
      response.status,
      'http_error'
    );
  }
}

function isApiErrorBody(
  body: unknown
): body is { message: string; reason: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { message?: unknown }).message === 'string' &&
    typeof (body as { reason?: unknown }).reason === 'string'
  );
}
