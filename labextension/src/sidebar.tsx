/**
 * The left sidebar: experiments on top, the chosen experiment's leaderboard below, and on
 * every model row the **View generated code** button and a menu for the other files.
 * The components live in `components/`; this widget hosts them in JupyterLab's shell.
 */
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { SidebarView } from './components/SidebarView';
import { automlIcon } from './icon';
import { SidebarModel } from './model';
import { SIDEBAR_ID } from './tokens';
import { loadBundle, TranslationContext } from './translation';

export class ModelsSidebar extends ReactWidget {
  constructor(
    readonly model: SidebarModel,
    private readonly commands: CommandRegistry,
    translator?: ITranslator | null
  ) {
    super();
    this._trans = loadBundle(translator);
    this.id = SIDEBAR_ID;
    this.title.icon = automlIcon;
    this.title.caption = this._trans.__('AutoML models');
    this.addClass('jp-AutoMLCodegen');
  }

  protected render(): React.ReactElement {
    return (
      <TranslationContext.Provider value={this._trans}>
        <UseSignal signal={this.model.changed}>
          {() => <SidebarView model={this.model} commands={this.commands} />}
        </UseSignal>
      </TranslationContext.Provider>
    );
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.visible = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.visible = false;
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }

  private readonly _trans: TranslationBundle;
}
