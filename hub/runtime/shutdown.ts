/**
 * Graceful shutdown: named steps run in order, each logged with its duration, all within one
 * deadline (shutdown.timeoutMs). A step that fails or outlives the deadline is logged and the
 * next one still runs, so the database is closed even when the broker hangs.
 */
import type { Logger } from '../log.js';

export interface ShutdownStep {
  readonly name: string;
  run(): Promise<unknown>;
}

export interface ShutdownReport {
  /** True when every step finished in time without error. */
  readonly clean: boolean;
  readonly failed: readonly string[];
}

const TIMED_OUT = Symbol('timed out');

export async function runShutdown(steps: readonly ShutdownStep[], timeoutMs: number, log: Logger): Promise<ShutdownReport> {
  const deadline = Date.now() + timeoutMs;
  const failed: string[] = [];
  for (const step of steps) {
    const started = Date.now();
    // Past the deadline a step still gets a short grace, so closing the database is attempted.
    const budget = Math.max(deadline - started, 100);
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        step.run(),
        new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(() => resolve(TIMED_OUT), budget);
        }),
      ]);
      if (outcome === TIMED_OUT) {
        failed.push(step.name);
        log.error({ step: step.name, ms: Date.now() - started }, 'shutdown step timed out; moving on');
      } else {
        log.info({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
      }
    } catch (error) {
      failed.push(step.name);
      log.error({ err: error, step: step.name }, 'shutdown step failed; moving on');
    } finally {
      clearTimeout(timer);
    }
  }
  return { clean: failed.length === 0, failed };
}

export interface Stoppable {
  stop(reason: string): Promise<ShutdownReport>;
}

export interface SignalOutcome {
  /** Called once the graceful stop finished: 0 when clean, 1 otherwise. */
  stopped(code: number): void;
  /** Called on a second signal; defaults to process.exit. */
  force?(code: number): void;
}

/**
 * SIGTERM/SIGINT start a graceful stop; a second signal forces the exit (an operator pressing
 * Ctrl-C twice means it). Returns a function removing the handlers.
 */
export function handleSignals(hub: Stoppable, log: Logger, outcome: SignalOutcome): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: forcing exit');
      // 128 + SIGINT(2): the conventional status of a process killed by Ctrl-C.
      (outcome.force ?? ((code: number) => process.exit(code)))(130);
      return;
    }
    stopping = true;
    log.info({ signal }, 'signal received: shutting down');
    hub.stop(signal).then(
      (report) => outcome.stopped(report.clean ? 0 : 1),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        outcome.stopped(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
