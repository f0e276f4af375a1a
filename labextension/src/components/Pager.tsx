/** Previous and next pages of a leaderboard longer than one page. */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IRunPage } from '../api';
import { PAGE_SIZE, SidebarModel } from '../model';
import { useTrans } from '../translation';

export function Pager({
  page,
  model
}: {
  page: IRunPage;
  model: SidebarModel;
}): React.ReactElement | null {
  const trans = useTrans();
  if (page.total <= page.limit && page.offset === 0) {
    return null;
  }
  const last = Math.min(page.offset + page.items.length, page.total);
  return (
    <nav
      className="jp-AutoMLCodegen-pager"
      aria-label={trans.__('Pages of models')}
    >
      <Button
        small
        minimal
        disabled={page.offset === 0}
        onClick={() => model.page(page.offset - PAGE_SIZE)}
      >
        {trans.__('‹ Previous')}
      </Button>
      <span>{trans.__('%1–%2 of %3', page.offset + 1, last, page.total)}</span>
      <Button
        small
        minimal
        disabled={last >= page.total}
        onClick={() => model.page(page.offset + PAGE_SIZE)}
      >
        {trans.__('Next ›')}
      </Button>
    </nav>
  );
}
