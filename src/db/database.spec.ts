import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './database';

describe('lockDataDir (one process per embedded database)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zkvm-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second opener while the first holds the lock, and frees it on release', () => {
    const release = lockDataDir(join(dir, 'pglite'));
    expect(() => lockDataDir(join(dir, 'pglite'))).toThrow(/in use by process \d+/);
    release();
    lockDataDir(join(dir, 'pglite'))();
  });

  it('takes over the stale lock of a process that no longer exists', () => {
    writeFileSync(join(dir, 'pglite.lock'), '999999999');
    const release = lockDataDir(join(dir, 'pglite'));
    release();
  });
});
