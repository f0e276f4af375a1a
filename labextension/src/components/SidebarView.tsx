/** The whole sidebar: its title and refresh button over the content. */
import { ToolbarButtonComponent, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CommandIDs } from '../tokens';
import { useTrans } from '../translation';
import { ISidebarProps, SidebarContent } from './SidebarContent';

export function SidebarView({
  model,
  commands
}: ISidebarProps): React.ReactElement {
  const trans = useTrans();
  return (
    <div className="jp-AutoMLCodegen-body">
      <header className="jp-AutoMLCodegen-header">
        <h2>{trans.__('AutoML models')}</h2>
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip={trans.__('Refresh models')}
          className="jp-AutoMLCodegen-refresh"
          onClick={() => void commands.execute(CommandIDs.refresh)}
        />
      </header>
      <SidebarContent model={model} commands={commands} />
    </div>
  );
}
