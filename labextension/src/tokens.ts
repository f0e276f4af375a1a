/** Ids shared by the plugin, the sidebar and the MIME renderer (contracts: keep as written). */

export const PLUGIN_ID = 'jupyter-automl-codegen:plugin';
export const SIDEBAR_ID = 'automl-codegen-sidebar';
export const OPEN_MIME_TYPE = 'application/vnd.automl-codegen.open+json';

export const CommandIDs = {
  /** Opens `{path}`, or generates `{runId}`'s code and opens its `{file}`. */
  openCode: 'automl-codegen:open-code',
  openBest: 'automl-codegen:open-best',
  refresh: 'automl-codegen:refresh'
} as const;
