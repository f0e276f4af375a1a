/** The first-run page: no experiment yet, and the three ways to train one. */
import * as React from 'react';

import { useTrans } from '../translation';

export function EmptyState(): React.ReactElement {
  const trans = useTrans();
  return (
    <div className="jp-AutoMLCodegen-state jp-AutoMLCodegen-empty">
      <p>
        <strong>{trans.__('No experiments yet.')}</strong>{' '}
        {trans.__(
          'Train one and its models appear here, each with the code that rebuilds it.'
        )}
      </p>
      <p>{trans.__('From a terminal:')}</p>
      <pre tabIndex={0}>
        automl-codegen train data.csv --task classification --label target
      </pre>
      <p>{trans.__('From Python:')}</p>
      <pre tabIndex={0}>
        {`from jupyter_automl_codegen import AutoMLConfig, submit
submit(AutoMLConfig(task="classification",
                    label_column_name="target"),
       "data.csv")`}
      </pre>
      <p>{trans.__('In a notebook, to browse the models there:')}</p>
      <pre tabIndex={0}>{`%load_ext jupyter_automl_codegen
%codegen`}</pre>
    </div>
  );
}
