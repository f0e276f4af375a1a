/**
 * The model polls the server while the sidebar is shown: at the settings' interval while
 * an experiment trains, ten times slower once nothing runs.
 */
import { SidebarModel } from '../model';
import { experiment, FakeServer } from './fakeServer';

const INTERVAL_SECONDS = 3;
const INTERVAL_MS = INTERVAL_SECONDS * 1000;

describe('SidebarModel polling', () => {
  let server: FakeServer;
  let model: SidebarModel;

  beforeEach(() => {
    jest.useFakeTimers();
    server = new FakeServer();
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
  });

  async function shownModel(): Promise<SidebarModel> {
    const shown = new SidebarModel(server.api, INTERVAL_SECONDS);
    shown.visible = true;
    await jest.advanceTimersByTimeAsync(0);
    return shown;
  }

  it('loads the experiments and the first one’s runs as soon as it is shown', async () => {
    model = await shownModel();
    expect(model.loading).toBe(false);
    expect(model.experiments.map(e => e.id)).toEqual(['penguins']);
    expect(model.selected?.id).toBe('penguins');
    expect(model.runs?.items.map(r => r.id)).toEqual(['slow', 'fast']);
  });

  it('polls at the interval while an experiment is running', async () => {
    server.experiments = [experiment('penguins', 'running')];
    model = await shownModel();
    const first = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(first + 1);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(first + 2);
  });

  it('polls ten times less often once nothing runs', async () => {
    model = await shownModel();
    const first = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(9 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(first);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(first + 1);
  });

  it('speeds up when an experiment starts and slows down when it ends', async () => {
    model = await shownModel();
    server.experiments = [experiment('penguins', 'queued')];
    // The idle tick that was scheduled finds the queued experiment ...
    await jest.advanceTimersByTimeAsync(10 * INTERVAL_MS);
    const queued = server.experimentCalls;
    expect(model.anyRunning).toBe(true);
    // ... and from then on the poll comes at the interval.
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(queued + 1);

    server.experiments = [experiment('penguins', 'completed')];
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    const ended = server.experimentCalls;
    expect(model.anyRunning).toBe(false);
    await jest.advanceTimersByTimeAsync(9 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(ended);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(ended + 1);
  });

  it('follows a new interval from the settings', async () => {
    server.experiments = [experiment('penguins', 'running')];
    model = await shownModel();
    model.intervalSeconds = 1;
    // The tick already scheduled keeps its time; the ones after it use the new interval.
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    const after = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(3000);
    expect(server.experimentCalls).toBe(after + 3);
  });

  it('shows an error and keeps the last answer when the server fails', async () => {
    model = await shownModel();
    const { ApiError } = await import('../apiError');
    server.failure = new ApiError('gone', 0, 'network');
    await model.refresh();
    expect(model.error?.message).toBe('gone');
    expect(model.experiments.map(e => e.id)).toEqual(['penguins']);

    server.failure = null;
    await model.refresh();
    expect(model.error).toBeNull();
  });

  it('shows only the latest answer when requests overlap', async () => {
    model = await shownModel();
    server.experiments = [experiment('old')];
    const older = model.refresh();
    server.experiments = [experiment('new')];
    const newer = model.refresh();
    await Promise.all([older, newer]);
    expect(model.experiments.map(e => e.id)).toEqual(['new']);
  });
});
