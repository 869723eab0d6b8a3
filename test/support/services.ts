import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export { freePort, startEmbeddedMongo, startRedisServer, type RunningService } from '../../scripts/local-services';

/** Debian's Chromium (or CHROMIUM_PATH), for the browser suites; undefined when there is none. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}
