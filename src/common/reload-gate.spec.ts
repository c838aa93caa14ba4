import { ReloadGate } from './reload-gate.js';

describe('ReloadGate', () => {
  it('shares one reload between concurrent callers', async () => {
    let reloads = 0;
    const gate = new ReloadGate(async () => reloads++, 50);
    const since = Date.now();
    await Promise.all([gate.reloadSince(since), gate.reloadSince(since), gate.reloadSince(since)]);
    expect(reloads).toBe(1);
  });

  it('starts a new reload for a caller that saw newer data, but not sooner than the interval', async () => {
    let reloads = 0;
    const gate = new ReloadGate(async () => reloads++, 100);
    await gate.reloadSince(Date.now());
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await gate.reloadSince(Date.now());
    expect(reloads).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('does not reload again for data older than the last reload', async () => {
    let reloads = 0;
    const gate = new ReloadGate(async () => reloads++, 1000);
    const before = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2));
    await gate.reloadSince(Date.now());
    await gate.reloadSince(before);
    expect(reloads).toBe(1);
  });

  it('lets a failed reload be retried by the next caller', async () => {
    let calls = 0;
    const gate = new ReloadGate(async () => {
      calls++;
      if (calls === 1) throw new Error('store down');
    }, 10);
    await expect(gate.reloadSince(Date.now())).rejects.toThrow('store down');
    await new Promise((resolve) => setTimeout(resolve, 15));
    await gate.reloadSince(Date.now());
    expect(calls).toBe(2);
  });
});
