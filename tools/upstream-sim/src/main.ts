import { exitOnSignals } from './cli/shutdown-signals';
import { writeReadyFile } from './cli/ready-file';
import { simOptionsFromEnv } from './cli/sim-env';
import { startSims } from './start-sims';

async function main(): Promise<void> {
  const { readyFile, ...options } = simOptionsFromEnv(process.env);
  const sims = await startSims(options);
  exitOnSignals(() => sims.close(), (line) => console.log(line));
  for (const [name, url] of Object.entries(sims.urls)) console.log(`upstream-sim ${name} listening on ${url}`);
  if (readyFile) await writeReadyFile(readyFile, sims.urls);
  console.log(`upstream-sim ready: ${Object.keys(sims.urls).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(`upstream-sim failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
