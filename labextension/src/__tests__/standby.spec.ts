/**
 * The model stands by (asks the server nothing) while its sidebar is collapsed or the
 * browser tab is hidden, and catches up at once when it is shown again.
 */
import { SidebarModel } from '../model';
import { experiment, FakeServer } from './fakeServer';

const INTERVAL_MS = 3000;

/** What the browser does when the user switches tabs or minimises the window. */
function setPageHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible')
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('SidebarModel standby', () => {
  let server: FakeServer;
  let model: SidebarModel;

  beforeEach(() => {
    jest.useFakeTimers();
    server = new FakeServer();
    // Running: without standby the poll would come every interval.
    server.experiments = [experiment('penguins', 'running')];
    model = new SidebarModel(server.api, INTERVAL_MS / 1000);
  });

  afterEach(() => {
    model.dispose();
    setPageHidden(false);
    jest.useRealTimers();
  });

  it('asks nothing while the sidebar has never been shown', async () => {
    await jest.advanceTimersByTimeAsync(20 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(0);
  });

  it('refreshes at once when the sidebar is shown', async () => {
    await jest.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    model.visible = true;
    await jest.advanceTimersByTimeAsync(0);
    expect(server.experimentCalls).toBe(1);
    expect(model.loading).toBe(false);
  });

  it('stops polling when the sidebar is collapsed', async () => {
    model.visible = true;
    await jest.advanceTimersByTimeAsync(2 * INTERVAL_MS);
    expect(server.experimentCalls).toBeGreaterThan(0);
    model.visible = false;
    // The request in flight, if any, may finish; none starts after it.
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    const collapsed = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(20 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(collapsed);
  });

  it('stops polling while the browser tab is hidden and resumes when it shows', async () => {
    model.visible = true;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    setPageHidden(true);
    // Lumino lingers one tick before standing by.
    await jest.advanceTimersByTimeAsync(2 * INTERVAL_MS);
    const hidden = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(20 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(hidden);

    setPageHidden(false);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(server.experimentCalls).toBe(hidden + 1);
  });

  it('asks nothing after it is disposed', async () => {
    model.visible = true;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    model.dispose();
    const disposed = server.experimentCalls;
    await jest.advanceTimersByTimeAsync(20 * INTERVAL_MS);
    expect(server.experimentCalls).toBe(disposed);
  });
});
