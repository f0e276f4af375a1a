/** What the sidebar shows when the server cannot answer, and how to fix it. */
import * as React from 'react';

import { useTrans } from '../translation';

export function ErrorState(props: {
  message: string;
  missing: boolean;
}): React.ReactElement {
  const trans = useTrans();
  return (
    <div className="jp-AutoMLCodegen-state jp-AutoMLCodegen-error" role="alert">
      <p>
        <strong>
          {props.missing
            ? trans.__('Server extension missing')
            : trans.__('Cannot load models')}
        </strong>
      </p>
      <p>{props.message}</p>
      {props.missing && (
        <>
          <p>{trans.__('Enable it and restart JupyterLab:')}</p>
          <pre tabIndex={0}>
            jupyter server extension enable jupyter_automl_codegen
          </pre>
          <p>
            {trans.__(
              'If that fails, reinstall the package in the environment that runs the server:'
            )}{' '}
            <code>pip install jupyter-automl-codegen</code>.
          </p>
        </>
      )}
    </div>
  );
}
