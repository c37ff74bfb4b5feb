import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './manifests';

/** tools/scripts/adopt-nx-cache.mjs, the CI step between restoring ~/.nx and running Nx. */
describe('adopting a restored Nx cache (tools/scripts/adopt-nx-cache.mjs)', () => {
  let home: string;
  const databases = () => join(home, 'abc123/databases');
  const adopt = (machineId: string) =>
    execFileSync(process.execPath, [join(REPO_ROOT, 'tools/scripts/adopt-nx-cache.mjs'), home, machineId], { encoding: 'utf8' });

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'nx-home-'));
    mkdirSync(databases(), { recursive: true });
    mkdirSync(join(home, 'abc123/cache/123456'), { recursive: true });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('renames the index another runner saved (and its WAL files) to this machine\u2019s id; the outputs stay', () => {
    for (const file of ['other-v3.db', 'other-v3.db-wal', 'other-v3.db-shm']) writeFileSync(join(databases(), file), file);
    expect(adopt('mine')).toContain('other-v3.db (saved by another runner) is now mine-v3.db');
    expect(readdirSync(databases()).sort()).toEqual(['mine-v3.db', 'mine-v3.db-shm', 'mine-v3.db-wal']);
    expect(readFileSync(join(databases(), 'mine-v3.db-wal'), 'utf8')).toBe('other-v3.db-wal');
    expect(readdirSync(join(home, 'abc123/cache'))).toEqual(['123456']);
  });

  it('never replaces an index of this machine\u2019s own', () => {
    writeFileSync(join(databases(), 'mine-v3.db'), 'ours');
    writeFileSync(join(databases(), 'other-v3.db'), 'theirs');
    adopt('mine');
    expect(readFileSync(join(databases(), 'mine-v3.db'), 'utf8')).toBe('ours');
    expect(readdirSync(databases()).sort()).toEqual(['mine-v3.db', 'other-v3.db']);
  });

  it('does nothing when nothing was restored', () => {
    rmSync(home, { recursive: true, force: true });
    expect(adopt('mine')).toContain('nothing restored');
  });
});
