/** The one function the tests use of react-dom's server renderer (it ships no types). */
declare module 'react-dom/server' {
  import type { ReactElement } from 'react';

  export function renderToStaticMarkup(element: ReactElement): string;
}
