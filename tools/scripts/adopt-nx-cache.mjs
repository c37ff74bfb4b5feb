#!/usr/bin/env node
// CI: makes a task cache restored from another runner usable on this one.
//
// Nx 23 keeps its local cache outside the checkout, in
// ~/.nx/<workspace id>/cache (task outputs) and ~/.nx/<workspace id>/databases
// (the SQLite index of those outputs, `<machine id>-v3.db`). A task is
// restored only when the index knows its hash, and Nx opens only the index
// named after this machine's id (/var/lib/dbus/machine-id, else
// /etc/machine-id). A runner whose id differs from the one that saved the
// cache would find every output and use none ("Unrecognized Cache
// Artifacts"). So, after actions/cache restores ~/.nx and before Nx runs:
// an index saved under another id is renamed to this machine's.
//
// usage: node tools/scripts/adopt-nx-cache.mjs [nx home (default ~/.nx)] [machine id (default: this machine's)]
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const INDEX = /^(.+?)(-v\d+)\.db$/; // <machine id>-v3.db, and its -wal / -shm beside it
const COMPANIONS = ['', '-wal', '-shm'];

/** The id Nx names its index after (Linux: the first of these files that has one). */
function machineId() {
  for (const file of ['/var/lib/dbus/machine-id', '/etc/machine-id']) {
    const id = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (id) return id;
  }
  return null;
}

const nxHome = process.argv[2] ?? join(homedir(), '.nx');
const id = process.argv[3] ?? machineId();
if (!id) {
  console.log('adopt-nx-cache: no machine id found; Nx names its index after the hostname, left as restored');
  process.exit(0);
}
if (!existsSync(nxHome)) {
  console.log(`adopt-nx-cache: nothing restored at ${nxHome}`);
  process.exit(0);
}

for (const workspace of readdirSync(nxHome)) {
  const databases = join(nxHome, workspace, 'databases');
  if (!existsSync(databases)) continue;
  const files = readdirSync(databases);
  for (const file of files) {
    const [, owner, version] = INDEX.exec(file) ?? [];
    if (!owner || owner === id) continue;
    const ours = `${id}${version}.db`;
    // An index of this machine's own is never replaced: it knows what its cache holds.
    if (files.includes(ours)) {
      console.log(`adopt-nx-cache: ${workspace}: ${ours} already here; ${file} left alone`);
      continue;
    }
    for (const suffix of COMPANIONS) {
      if (files.includes(`${file}${suffix}`)) renameSync(join(databases, `${file}${suffix}`), join(databases, `${ours}${suffix}`));
    }
    files.push(ours);
    console.log(`adopt-nx-cache: ${workspace}: ${file} (saved by another runner) is now ${ours}`);
  }
}
