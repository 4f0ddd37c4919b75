/**
 * Progress of a proof on stderr, the same for the local prover and a server job: on a terminal
 * one bar per stage (executing, folding i/n, compressing) drawn by cli-progress; otherwise plain
 * lines, one per change of stage and at most one a second within a stage (plus its last step).
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProveStage } from '../zk/vm-circuit';

export interface ProgressReporter {
  /** `total` null: not known yet. */
  update(stage: ProveStage, done: number, total: number | null): void;
  /** Ends the display (the bars stay on screen, finished). */
  stop(): void;
}

export const STAGES: readonly ProveStage[] = ['executing', 'folding', 'compressing'];

export function progressReporter(
  err: (s: string) => void,
  opts: { tty?: boolean; stream?: NodeJS.WritableStream; intervalMs?: number } = {},
): ProgressReporter {
  return opts.tty ? barReporter(opts.stream ?? process.stderr) : lineReporter(err, opts.intervalMs);
}

function lineReporter(err: (s: string) => void, intervalMs = 1000): ProgressReporter {
  let last = '';
  let lastStage = '';
  let lastAt = 0;
  return {
    update(stage, done, total) {
      const now = performance.now();
      const line =
        stage === 'compressing' ? stage : `${stage} ${done}/${total === null ? '?' : total}`;
      if (line === last) return;
      const final = total !== null && done >= total;
      if (stage === lastStage && !final && now - lastAt < intervalMs) return;
      last = line;
      lastStage = stage;
      lastAt = now;
      err(`${line}\n`);
    },
    stop() {},
  };
}

function barReporter(stream: NodeJS.WritableStream): ProgressReporter {
  const multi = new MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: '{stage} |{bar}| {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  const bars = new Map<ProveStage, SingleBar>();
  let stopped = false;
  const label = (s: ProveStage): string => s.padEnd(11);
  return {
    update(stage, done, total) {
      // A stage starting finishes the ones before it.
      for (const s of STAGES.slice(0, STAGES.indexOf(stage))) {
        const b = bars.get(s);
        if (b) b.update(b.getTotal());
      }
      let bar = bars.get(stage);
      const t = total ?? Math.max(done, 1);
      if (!bar) {
        bar = multi.create(t, done, { stage: label(stage) });
        bars.set(stage, bar);
      } else {
        if (bar.getTotal() !== t) bar.setTotal(t);
        bar.update(done);
      }
    },
    stop() {
      if (stopped) return; // a second stop would redraw over what was printed since
      stopped = true;
      multi.stop();
    },
  };
}
