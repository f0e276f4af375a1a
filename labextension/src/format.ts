/** How numbers, durations and times read in the sidebar. */

import type { TranslationBundle } from '@jupyterlab/translation';

import type { IForecastingFeaturization } from './api';

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return value.toExponential(3);
  }
  return value.toFixed(4);
}

export function formatSeconds(
  seconds: number | null | undefined,
  trans: TranslationBundle
): string {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  if (seconds < 1) {
    return trans.__('%1 ms', Math.round(seconds * 1000));
  }
  if (seconds < 120) {
    return trans.__('%1 s', seconds.toFixed(1));
  }
  return trans.__('%1 min', Math.round(seconds / 60));
}

/** "3 min ago" style for recent times, the local date beyond a week. */
export function formatStarted(
  iso: string | null,
  trans: TranslationBundle,
  now = Date.now()
): string {
  if (!iso) {
    return '–';
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 60) {
    return trans.__('just now');
  }
  if (seconds < 3600) {
    return trans.__('%1 min ago', Math.floor(seconds / 60));
  }
  if (seconds < 86400) {
    return trans.__('%1 h ago', Math.floor(seconds / 3600));
  }
  if (seconds < 7 * 86400) {
    return trans.__('%1 d ago', Math.floor(seconds / 86400));
  }
  return new Date(time).toLocaleDateString();
}

/** `metrics.AUC_weighted` → `AUC weighted`; the API's keys stay as they are. */
export function metricLabel(name: string): string {
  return name.replace(/_/g, ' ');
}

/** Short names for the leaderboard's narrow column; the full name stays in its tooltip. */
const SHORT_METRIC_NAMES: Record<string, string> = {
  normalized_root_mean_squared_error: 'NRMSE',
  root_mean_squared_error: 'RMSE',
  normalized_mean_absolute_error: 'NMAE',
  mean_absolute_error: 'MAE',
  mean_absolute_scaled_error: 'MASE',
  mean_absolute_percentage_error: 'MAPE',
  normalized_median_absolute_error: 'NMedAE',
  median_absolute_error: 'MedAE',
  r2_score: 'R²',
  spearman_correlation: 'Spearman',
  average_precision_score_weighted: 'AP weighted',
  precision_score_weighted: 'precision w.',
  recall_score_weighted: 'recall w.',
  f1_score_weighted: 'F1 weighted',
  norm_macro_recall: 'norm. macro recall'
};

export function shortMetricLabel(name: string): string {
  return SHORT_METRIC_NAMES[name] ?? metricLabel(name);
}

/** A forecasting run's featurization as labelled rows (as the notebook panel shows it). */
export function forecastingRows(
  described: IForecastingFeaturization,
  trans: TranslationBundle
): [string, string][] {
  const listed = (
    values: unknown[] | null | undefined,
    empty = trans.__('none')
  ): string =>
    values && values.length > 0 ? values.map(String).join(', ') : empty;
  const steps = (count: number) => trans.__('%1 step(s)', count);
  const rows: [string, string][] = [
    [trans.__('target'), described.target],
    [trans.__('time column'), described.time_column],
    [
      trans.__('series ids'),
      listed(described.series_id_columns, trans.__('(a single series)'))
    ],
    [trans.__('frequency'), described.frequency],
    [trans.__('horizon'), steps(described.horizon)],
    [trans.__('season length'), steps(described.season_length)]
  ];
  if (described.scope === 'global') {
    rows.push(
      [trans.__('model'), trans.__('one global model over every series')],
      [trans.__('lags'), listed(described.lags)],
      [
        trans.__('rolling windows'),
        listed(
          (described.rolling_windows ?? []).map(w =>
            trans.__('%1 of %2 steps, lag %3', w.statistic, w.window, w.lag)
          )
        )
      ],
      [trans.__('calendar features'), listed(described.calendar_features)],
      [trans.__('target transforms'), listed(described.target_transforms)]
    );
  } else {
    rows.push([trans.__('model'), trans.__('one model per series')]);
  }
  if (described.known_features && described.known_features.length > 0) {
    rows.push(
      [trans.__('known features used'), listed(described.known_features_used)],
      [
        trans.__('known features ignored'),
        listed(described.known_features_ignored)
      ]
    );
  }
  return rows;
}
