/** A run's or an experiment's status as a coloured word. */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { useTrans } from '../translation';

/** The status words in the user's language; an unknown status shows as the API sent it. */
function statusLabel(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'queued':
      return trans.__('queued');
    case 'running':
      return trans.__('running');
    case 'completed':
      return trans.__('completed');
    case 'failed':
      return trans.__('failed');
    case 'canceled':
      return trans.__('canceled');
    default:
      return status;
  }
}

export function StatusBadge({
  status
}: {
  status: string;
}): React.ReactElement {
  const trans = useTrans();
  return (
    <span
      className={`jp-AutoMLCodegen-status jp-AutoMLCodegen-status-${status}`}
    >
      {statusLabel(status, trans)}
    </span>
  );
}
