/** The sidebar below its header: an error, the first-run page, or experiments and models. */
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';

import { SidebarModel } from '../model';
import { useTrans } from '../translation';
import { EmptyState } from './EmptyState';
import { ErrorState } from './ErrorState';
import { ExperimentList } from './ExperimentList';
import { Leaderboard } from './Leaderboard';

export interface ISidebarProps {
  model: SidebarModel;
  commands: CommandRegistry;
}

export function SidebarContent({
  model,
  commands
}: ISidebarProps): React.ReactElement {
  const trans = useTrans();
  if (model.error) {
    return (
      <ErrorState
        message={model.error.message}
        missing={model.error.extensionMissing}
      />
    );
  }
  if (model.loading) {
    return (
      <p className="jp-AutoMLCodegen-loading">
        {trans.__('Loading experiments…')}
      </p>
    );
  }
  if (model.experiments.length === 0) {
    return <EmptyState />;
  }
  const selected = model.selected;
  return (
    <>
      <ExperimentList model={model} />
      {selected && (
        <Leaderboard
          experiment={selected}
          page={model.runs}
          model={model}
          commands={commands}
        />
      )}
    </>
  );
}
