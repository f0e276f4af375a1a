/**
 * The "…" button of a model row: a menu of every file of the code folder, opened through
 * the same command as "View generated code". Opened from the keyboard, the menu's first
 * item is active (arrows move, Enter opens, Escape closes) and focus comes back here.
 */
import {
  ToolbarButtonComponent,
  ellipsesIcon
} from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import { CODE_FILES } from '../api';
import { CommandIDs } from '../tokens';
import { useTrans } from '../translation';

export function RowMenuButton({
  runId,
  commands
}: {
  runId: string;
  commands: CommandRegistry;
}): React.ReactElement {
  const trans = useTrans();
  const [open, setOpen] = React.useState(false);
  return (
    <ToolbarButtonComponent
      icon={ellipsesIcon}
      tooltip={trans.__('Open other generated files')}
      className="jp-AutoMLCodegen-row-menu"
      aria-haspopup="menu"
      aria-expanded={open}
      onClick={event => {
        const anchor = event?.currentTarget as HTMLElement | undefined;
        const fromKeyboard = event?.type === 'keydown';
        openFileMenu(commands, runId, anchor, fromKeyboard, setOpen);
      }}
    />
  );
}

function openFileMenu(
  commands: CommandRegistry,
  runId: string,
  anchor: HTMLElement | undefined,
  fromKeyboard: boolean,
  setOpen: (open: boolean) => void
): void {
  const menu = new Menu({ commands });
  menu.addClass('jp-AutoMLCodegen-menu');
  for (const file of CODE_FILES) {
    menu.addItem({ command: CommandIDs.openCode, args: { runId, file } });
  }
  menu.aboutToClose.connect(() => {
    setOpen(false);
    // Closed without a choice (Escape, a click elsewhere): the keyboard user carries on
    // from the button rather than from the top of the page.
    requestAnimationFrame(() => {
      const focused = document.activeElement;
      if (anchor?.isConnected && (!focused || focused === document.body)) {
        anchor.focus();
      }
      menu.dispose();
    });
  });
  const box = anchor?.getBoundingClientRect();
  setOpen(true);
  menu.open(box ? box.left : 0, box ? box.bottom : 0);
  if (fromKeyboard) {
    menu.activeIndex = 0;
  }
}
