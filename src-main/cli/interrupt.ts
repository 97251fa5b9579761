/**
 * Ctrl-C (SIGINT) and SIGTERM during a long command. Long work runs in worker threads, so the main
 * thread is free and the handler runs at once: it does the command's synchronous clean-up (cancel
 * the workers, mark unfinished runs `interrupted`, close the project), says so on stderr and exits
 * 130 for either signal (the interrupt status of docs/cli.md#conventions; a Slurm time limit sends
 * SIGTERM and gets the same status). Returns a function that restores the previous handlers.
 */
import { EXIT } from './io';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** `cleanup` runs synchronously before the exit; a string it returns is added to the stderr line. */
export function onInterrupt(cleanup: (signal: InterruptSignal) => string | void): () => void {
  const saved = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const handler = (signal: InterruptSignal) => () => {
    let note: string | void = undefined;
    try {
      note = cleanup(signal);
    } finally {
      process.stderr.write(`retile: ${signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'stopped by SIGTERM'}${note ? `; ${note}` : ''}\n`);
      process.exit(EXIT.interrupted);
    }
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', handler('SIGINT'));
  process.on('SIGTERM', handler('SIGTERM'));
  return () => {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    for (const l of saved.SIGINT) process.on('SIGINT', l as () => void);
    for (const l of saved.SIGTERM) process.on('SIGTERM', l as () => void);
  };
}
