import { RetryBudget } from './retry-budget';

describe('RetryBudget', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('allows retries up to the ratio of recent requests', () => {
    const budget = new RetryBudget(0.2, 0, clock);
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });

  it('allows minPerSecond retries each second even with no traffic to speak of', () => {
    const budget = new RetryBudget(0, 2, clock);
    budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    now += 1_000;
    expect(budget.tryRetry()).toBe(true);
  });

  it('forgets requests and retries older than ten seconds', () => {
    const budget = new RetryBudget(0.5, 0, clock);
    for (let i = 0; i < 4; i++) budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    now += 10_000;
    expect(budget.tryRetry()).toBe(false);
    budget.recordRequest();
    budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
  });
});
