import { execFileSync } from 'node:child_process';
import { applyMemorySettings, liftStartupMemoryLimit, MEMORY_SETTINGS, resetMemorySettingsForTest } from './memory-settings';

describe('applyMemorySettings', () => {
  beforeEach(() => resetMemorySettingsForTest());
  afterAll(() => resetMemorySettingsForTest());

  const run = (execArgv: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const set: string[] = [];
    const applied = applyMemorySettings({ execArgv, env, setFlag: (flag) => set.push(flag) });
    return { applied, set };
  };

  it('sets every V8 flag of MEMORY_SETTINGS when node was given none of them', () => {
    const { applied, set } = run();
    expect(applied).toEqual(MEMORY_SETTINGS);
    expect(set).toEqual(MEMORY_SETTINGS);
  });

  it('applies them once per process: the prelude of a built app first, then tracing.ts sets nothing', () => {
    expect(run().set).toEqual(MEMORY_SETTINGS);
    expect(run().set).toEqual([]);
  });

  it('leaves alone a flag given on the command line or in NODE_OPTIONS, in any spelling', () => {
    const { set } = run(['--heap_growing_percent=100', '--wasm-tier-up'], { NODE_OPTIONS: '--enable-source-maps --semi-space-growth-factor=4' });
    expect(set).toEqual(['--no-wasm-dynamic-tiering']);
  });

  it('lifts the young generation cap once, after start-up, back to V8 growing it by 2', () => {
    run();
    const set: string[] = [];
    liftStartupMemoryLimit({ setFlag: (flag) => set.push(flag) });
    liftStartupMemoryLimit({ setFlag: (flag) => set.push(flag) });
    expect(set).toEqual(['--semi-space-growth-factor=2']);
  });

  it('lifts nothing when the operator chose the young generation growth', () => {
    run(['--semi-space-growth-factor=3']);
    const set: string[] = [];
    liftStartupMemoryLimit({ setFlag: (flag) => set.push(flag) });
    expect(set).toEqual([]);
  });

  it('is made of flags the V8 of this Node knows (an unknown one is not applied: V8 prints "unrecognized flag" and goes on)', () => {
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    for (const flag of MEMORY_SETTINGS) {
      const name = flag.replace(/^--(no-)?/, '').split('=')[0];
      expect([name, new RegExp(`^\\s+--${name} \\(`, 'm').test(known)]).toEqual([name, true]);
    }
  });
});
