const FORCE_EXIT_AFTER_MS = 5_000;

/**
 * On SIGTERM or SIGINT: run `close` once and exit 0. A second signal, or a
 * close that takes longer than five seconds, exits at once.
 */
export function exitOnSignals(close: () => Promise<void>, log: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`upstream-sim: ${signal}, closing`);
    setTimeout(() => {
      log('upstream-sim: close took too long, exiting');
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`upstream-sim: close failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
