/** What rebuilds the model: hyperparameters or ensemble members, and the featurization. */
import * as React from 'react';

import { ApiError, IRunDetail } from '../api';
import { forecastingRows } from '../format';
import { useTrans } from '../translation';

export function RunDetails({
  detail
}: {
  detail: IRunDetail | ApiError | null;
}): React.ReactElement {
  const trans = useTrans();
  if (detail === null) {
    return (
      <p className="jp-AutoMLCodegen-loading">{trans.__('Loading details…')}</p>
    );
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
          <h4>{trans.__('Members')}</h4>
          <ul className="jp-AutoMLCodegen-members">
            {members.map(member => (
              <li key={member.run_id} title={member.run_id}>
                {member.algorithm}
                {member.weight !== undefined && ` × ${member.weight}`}
              </li>
            ))}
          </ul>
          {meta_learner && <p>{trans.__('Meta learner: %1', meta_learner)}</p>}
        </>
      )}
      {hyperparameters && Object.keys(hyperparameters).length > 0 && (
        <>
          <h4>
            {scaler
              ? trans.__('Hyperparameters (scaler: %1)', scaler)
              : trans.__('Hyperparameters')}
          </h4>
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
          <h4>{trans.__('Featurization')}</h4>
          <dl className="jp-AutoMLCodegen-metrics jp-AutoMLCodegen-forecasting">
            {forecastingRows(forecasting, trans).map(([name, value]) => (
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
          <h4>{trans.__('Featurization')}</h4>
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
        <p>{trans.__('Validation: %1', detail.featurization.validation)}</p>
      )}
    </div>
  );
}
