/**
 * Sorting is the server's (one ranking rule); the model asks for a key in its natural
 * order, flips the order the server resolved when the same key is asked again, and the
 * headers show that order.
 */
import { SidebarModel } from '../model';
import {
  ariaSort,
  otherMetricNames,
  sortArrow,
  sortedMetric
} from '../sorting';
import { experiment, FakeServer } from './fakeServer';

describe('SidebarModel sorting', () => {
  let server: FakeServer;
  let model: SidebarModel;

  beforeEach(async () => {
    jest.useFakeTimers();
    server = new FakeServer();
    server.experiments = [experiment('penguins'), experiment('cars')];
    model = new SidebarModel(server.api, 3);
    model.visible = true;
    await jest.advanceTimersByTimeAsync(0);
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
  });

  const rowIds = () => model.runs?.items.map(r => r.id);

  it('starts on the primary metric, best first as the server resolves it', () => {
    expect(server.lastQuery).toMatchObject({
      sort: 'primary_metric',
      offset: 0
    });
    expect(server.lastQuery.order).toBeUndefined();
    expect(model.sortState).toEqual({ sort: 'primary_metric', order: 'desc' });
    expect(rowIds()).toEqual(['slow', 'fast']);
  });

  it('asks for a new key in its natural order, from the first page', async () => {
    model.page(50);
    await jest.advanceTimersByTimeAsync(0);
    expect(server.lastQuery.offset).toBe(50);

    model.sortBy('fit_time');
    await jest.advanceTimersByTimeAsync(0);
    expect(server.lastQuery).toMatchObject({ sort: 'fit_time', offset: 0 });
    expect(server.lastQuery.order).toBeUndefined();
    expect(model.sortState).toEqual({ sort: 'fit_time', order: 'asc' });
    expect(rowIds()).toEqual(['fast', 'slow']);
  });

  it('flips the order when the same key is asked again', async () => {
    model.sortBy('fit_time');
    await jest.advanceTimersByTimeAsync(0);
    model.sortBy('fit_time');
    await jest.advanceTimersByTimeAsync(0);
    expect(server.lastQuery).toMatchObject({ sort: 'fit_time', order: 'desc' });
    expect(model.sortState.order).toBe('desc');
    expect(rowIds()).toEqual(['slow', 'fast']);

    model.sortBy('fit_time');
    await jest.advanceTimersByTimeAsync(0);
    expect(server.lastQuery.order).toBe('asc');
    expect(rowIds()).toEqual(['fast', 'slow']);
  });

  it('keeps the sort across polls and resets it for another experiment', async () => {
    model.sortBy('fit_time');
    await jest.advanceTimersByTimeAsync(0);
    await model.refresh();
    expect(server.lastQuery.sort).toBe('fit_time');

    model.select('cars');
    await jest.advanceTimersByTimeAsync(0);
    expect(server.runQueries[server.runQueries.length - 1].experimentId).toBe(
      'cars'
    );
    expect(server.lastQuery.sort).toBe('primary_metric');
    expect(model.sortState.sort).toBe('primary_metric');
  });
});

describe('sort presentation', () => {
  it('tells assistive technology the order of the active header only', () => {
    expect(ariaSort(true, 'asc')).toBe('ascending');
    expect(ariaSort(true, 'desc')).toBe('descending');
    expect(ariaSort(false, 'desc')).toBe('none');
    expect(ariaSort(true, undefined)).toBe('none');
  });

  it('draws the order as an arrow', () => {
    expect(sortArrow('desc')).toBe(' ▼');
    expect(sortArrow('asc')).toBe(' ▲');
    expect(sortArrow(undefined)).toBe('');
  });

  it('offers every other metric the runs report, by name', () => {
    const server = new FakeServer();
    server.runs[1].metrics = { accuracy: 1, log_loss: 0.2, AUC_weighted: 0.9 };
    expect(otherMetricNames(server.runs, 'accuracy')).toEqual([
      'AUC_weighted',
      'log_loss'
    ]);
    expect(sortedMetric('metrics.log_loss')).toBe('log_loss');
    expect(sortedMetric('fit_time')).toBeNull();
  });
});
