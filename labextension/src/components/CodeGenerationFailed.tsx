/**
 * What a model row shows instead of "View generated code" when generating the run's code
 * after training failed: that it failed, and why (the model itself is usable).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IRun } from '../api';

/** Why the code of a completed run failed to generate, else null (the buttons apply). */
export function codeGenerationFailure(run: IRun): string | null {
  const generation = run.code_generation;
  if (run.status !== 'completed' || generation?.status !== 'failed') {
    return null;
  }
  return generation.reason ?? '';
}

/** The note itself; ``trans`` is the row's translation bundle. */
export function CodeGenerationFailed({
  reason,
  trans
}: {
  reason: string;
  trans: TranslationBundle;
}): React.ReactElement {
  return (
    <span
      className="jp-AutoMLCodegen-codegen-failed"
      role="note"
      title={reason}
    >
      {reason
        ? trans.__('Code generation failed: %1', reason)
        : trans.__('Code generation failed')}
    </span>
  );
}
