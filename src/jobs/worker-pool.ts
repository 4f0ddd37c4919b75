/**
 * The pool of worker threads that runs guest execution (and, with the prover,
 * folding and compression), so the HTTP event loop never does that work.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';

/**
 * Locates a task module: the compiled .js beside this file in a build, or the
 * .ts source (loaded through @swc-node/register) when running from source,
 * as tests and `npm run` scripts do.
 */
export function taskFile(name: string): { filename: string; execArgv: string[] } {
  const ts = join(__dirname, 'tasks', `${name}.ts`);
  if (__filename.endsWith('.ts') && existsSync(ts)) {
    return { filename: ts, execArgv: ['-r', '@swc-node/register'] };
  }
  return { filename: join(__dirname, 'tasks', `${name}.js`), execArgv: [] };
}

export class WorkerPool {
  private readonly pools = new Map<string, Piscina>();

  constructor(private readonly threads: number) {}

  private pool(name: string): Piscina {
    let p = this.pools.get(name);
    if (!p) {
      const { filename, execArgv } = taskFile(name);
      p = new Piscina({
        filename,
        execArgv,
        minThreads: 0,
        maxThreads: Math.max(1, this.threads),
        idleTimeout: 30_000,
      });
      this.pools.set(name, p);
    }
    return p;
  }

  /** Runs a task; aborting `signal` terminates its thread. `transferList` moves ports or buffers. */
  run<I, O>(
    task: string,
    input: I,
    signal?: AbortSignal,
    transferList?: TransferListItem[],
  ): Promise<O> {
    return this.pool(task).run(input, { signal, transferList }) as Promise<O>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy()));
    this.pools.clear();
  }
}
