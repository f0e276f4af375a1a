import { LabIcon } from '@jupyterlab/ui-components';

/** A leaderboard (three bars) with a code bracket: models and their code. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="13" width="4" height="8" rx="1"/>
    <rect x="8" y="8" width="4" height="13" rx="1"/>
    <rect x="14" y="3" width="4" height="18" rx="1"/>
    <path d="M19.6 9.3l1.4-1.4 3 3-3 3-1.4-1.4 1.6-1.6z"/>
  </g>
</svg>`;

export const automlIcon = new LabIcon({
  name: 'jupyter-automl-codegen:models',
  svgstr: SVG
});
