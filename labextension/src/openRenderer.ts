/**
 * Renders `application/vnd.automl-codegen.open+json` (`{"path": ...}`), the bundle that the
 * notebook panel and the `%codegen` magic display: it opens that file in a tab through the
 * same command as the sidebar, once, and leaves a link to open it again.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { CommandIDs, OPEN_MIME_TYPE } from './tokens';
import { loadBundle } from './translation';

/**
 * A bundle older than this (by its optional `created`, seconds since the epoch) is a saved
 * output of an earlier session: reopening the notebook shows the link but opens nothing.
 */
const FRESH_SECONDS = 120;

/** Paths already opened by this page, so re-rendering an output does not reopen a tab. */
const opened = new Set<string>();

export function openRendererFactory(
  commands: CommandRegistry,
  trans: TranslationBundle = loadBundle()
): IRenderMime.IRendererFactory {
  return {
    // Not safe: an untrusted notebook's outputs must not open tabs; they show the HTML link.
    safe: false,
    mimeTypes: [OPEN_MIME_TYPE],
    defaultRank: 0,
    createRenderer: options =>
      new OpenFileRenderer(commands, trans, options.resolver)
  };
}

interface IOpenRequest {
  path: string;
  created?: number;
}

class OpenFileRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(
    private readonly commands: CommandRegistry,
    private readonly trans: TranslationBundle,
    private readonly resolver: IRenderMime.IResolver | null | undefined
  ) {
    super();
    this.addClass('jp-AutoMLCodegen-open');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const request = parseRequest(model.data[OPEN_MIME_TYPE]);
    this.node.textContent = '';
    if (!request) {
      this.node.textContent = this.trans.__(
        'Cannot open: %1 needs {"path": "<file>"}.',
        OPEN_MIME_TYPE
      );
      return;
    }
    // Relative to the kernel's folder, which is the notebook's: resolve it as a link.
    const path = this.resolver
      ? decodeURI(await this.resolver.resolveUrl(encodeURI(request.path)))
      : request.path;
    const open = () => this.commands.execute(CommandIDs.openCode, { path });
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = path;
    link.onclick = event => {
      event.preventDefault();
      void open();
    };
    this.node.append(this.trans.__('Generated code: '), link);
    const key = `${path}@${request.created ?? ''}`;
    const fresh =
      request.created === undefined ||
      Date.now() / 1000 - request.created < FRESH_SECONDS;
    if (fresh && !opened.has(key)) {
      opened.add(key);
      await open();
    }
  }
}

function parseRequest(data: unknown): IOpenRequest | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const { path, created } = data as { path?: unknown; created?: unknown };
  if (typeof path !== 'string' || path.length === 0) {
    return null;
  }
  return {
    path,
    created: typeof created === 'number' ? created : undefined
  };
}
