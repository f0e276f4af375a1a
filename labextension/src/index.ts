/**
 * The JupyterLab extension: the "AutoML models" sidebar, its commands in the palette, and
 * the MIME renderer that lets kernels open generated notebooks in tabs.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { AutoMLApi, CODE_FILES, CodeFile } from './api';
import { SidebarModel } from './model';
import { openRendererFactory } from './openRenderer';
import { ModelsSidebar } from './sidebar';
import { CommandIDs, PLUGIN_ID, SIDEBAR_ID } from './tokens';
import { loadBundle } from './translation';

interface ISettings {
  pollInterval: number;
  openIn: 'tab' | 'split-right';
}

const DEFAULTS: ISettings = { pollInterval: 3, openIn: 'tab' };

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Browse AutoML experiments and open the training code of any model.',
  autoStart: true,
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    IRenderMimeRegistry,
    ISettingRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    rendermime: IRenderMimeRegistry | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = loadBundle(translator);
    const settings: ISettings = { ...DEFAULTS };
    const api = new AutoMLApi(app.serviceManager.serverSettings, trans);
    const model = new SidebarModel(api, settings.pollInterval);
    const sidebar = new ModelsSidebar(model, app.commands, translator);
    app.shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, SIDEBAR_ID);

    const openPath = (path: string) => {
      const notebook = path.endsWith('.ipynb');
      return app.commands.execute('docmanager:open', {
        path,
        factory: notebook ? 'Notebook' : undefined,
        options: {
          mode: settings.openIn === 'tab' ? 'tab-after' : 'split-right'
        }
      });
    };

    app.commands.addCommand(CommandIDs.openCode, {
      label: args =>
        args.path
          ? trans.__('Open %1', PathExt.basename(args.path as string))
          : args.file
            ? trans.__('Open %1', args.file as string)
            : trans.__('View generated code'),
      caption: trans.__('Generate the training code of a model and open it'),
      execute: async args => {
        if (typeof args.path === 'string') {
          return openPath(args.path);
        }
        const runId = args.runId as string;
        const file = (args.file as CodeFile | undefined) ?? CODE_FILES[0];
        try {
          const reply = await model.withPending(runId, () =>
            api.generateCode(runId)
          );
          return await openPath(PathExt.join(reply.folder, file));
        } catch (error) {
          Notification.error(
            trans.__(
              'Cannot open the code of %1: %2',
              runId,
              (error as Error).message
            ),
            { autoClose: false }
          );
        }
      }
    });

    app.commands.addCommand(CommandIDs.openBest, {
      label: trans.__('AutoML: View generated code of the best model'),
      caption: trans.__(
        'Open the training code of the best model of the chosen experiment'
      ),
      execute: async () => {
        if (model.loading) {
          await model.refresh();
        }
        const experiment =
          model.selected ?? model.experiments.find(e => e.best_run !== null);
        const best = experiment?.best_run;
        if (!experiment || !best) {
          Notification.warning(
            trans.__(
              'No experiment has a completed model yet. Train one, for example with `automl-codegen train`.'
            )
          );
          return;
        }
        return app.commands.execute(CommandIDs.openCode, { runId: best.id });
      }
    });

    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('AutoML: Refresh models'),
      caption: trans.__('Reload the experiments and models from the run store'),
      execute: () => model.refresh()
    });

    for (const command of [CommandIDs.openBest, CommandIDs.refresh]) {
      palette?.addItem({ command, category: trans.__('AutoML') });
    }

    rendermime?.addFactory(openRendererFactory(app.commands, trans), 0);

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          const apply = () => {
            settings.pollInterval = loaded.get('pollInterval')
              .composite as number;
            settings.openIn = loaded.get('openIn')
              .composite as ISettings['openIn'];
            model.intervalSeconds = settings.pollInterval;
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.error(
            `${PLUGIN_ID}: cannot load settings, using defaults`,
            reason
          )
        );
    }
    void model.refresh();
  }
};

export default plugin;
