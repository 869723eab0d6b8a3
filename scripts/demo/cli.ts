/**
 * `npm run demo:seed`: with no round asked for, the demo that shows every role (demo/showcase.ts);
 * otherwise one synthetic round (demo-seed.ts). Options as README's "Demo data" says.
 */
import { parseArgs } from 'node:util';
import type { BoundaryEdition } from '../../survey-forms/provinces';
import { seedDemoRound } from '../demo-seed';
import { seedShowcase } from './showcase';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.SIPAS_URL ?? 'http://127.0.0.1:3000' },
      username: { type: 'string', default: process.env.ADMIN_USERNAME ?? 'admin' },
      password: { type: 'string', default: process.env.ADMIN_PASSWORD ?? 'admin-dev-password' },
      round: { type: 'string' },
      year: { type: 'string' },
      edition: { type: 'string', default: '63' },
      form: { type: 'string' },
      responses: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '2024' },
      weighted: { type: 'boolean', default: false },
      previous: { type: 'string' },
      'no-recompute': { type: 'boolean', default: false },
    },
  });
  if (!values.username || !values.password) throw new Error('give --username and --password (or ADMIN_USERNAME and ADMIN_PASSWORD) of an administrator');
  if (values.edition !== '63' && values.edition !== '34') throw new Error('--edition must be 63 or 34');
  // No round asked for: the demo that shows every role.
  if (!values.round && !values.year && !values.form && !values.previous && process.argv.every((a) => !a.startsWith('--edition') && !a.startsWith('--responses'))) {
    const accounts = await seedShowcase({ baseUrl: values.url, username: values.username, password: values.password, log: (line: string) => console.log(line) });
    console.log(`\nSIPAS demo ready at ${values.url} — /app/ /supervisor/ /analyst/ /admin/`);
    for (const a of accounts) console.log(`  ${a.role.padEnd(10)} ${a.username.padEnd(18)} ${a.password}`);
    return;
  }
  const [formId, formVersion] = (values.form ?? '').split('@');
  const result = await seedDemoRound({
    baseUrl: values.url,
    username: values.username,
    password: values.password,
    edition: Number(values.edition) as BoundaryEdition,
    ...(values.year ? { year: Number(values.year) } : {}),
    ...(values.round ? { roundId: values.round } : {}),
    ...(formId ? { formId, formVersion: formVersion ?? '1' } : {}),
    responses: Number(values.responses),
    seed: Number(values.seed),
    weighted: values.weighted,
    ...(values.previous ? { previousRoundId: values.previous } : {}),
    recompute: !values['no-recompute'],
    log: (line) => console.log(line),
  });
  console.log(
    `round ${result.roundId}: ${result.accepted} responses stored, ${result.duplicates} already there. ` +
      `See ${values.url}/api/v1/rounds/${result.roundId}/aggregates?by=province&fields=all`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
