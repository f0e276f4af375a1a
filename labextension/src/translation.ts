/**
 * The sidebar's words go through JupyterLab's translator: one bundle for the extension's
 * domain, handed to the components through a React context.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import * as React from 'react';

/** The gettext domain of the extension's messages (the Python package's name). */
export const TRANSLATION_DOMAIN = 'jupyter_automl_codegen';

export function loadBundle(translator?: ITranslator | null): TranslationBundle {
  return (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
}

export const TranslationContext =
  React.createContext<TranslationBundle>(loadBundle());

/** The bundle of the closest provider (English without one). */
export function useTrans(): TranslationBundle {
  return React.useContext(TranslationContext);
}
