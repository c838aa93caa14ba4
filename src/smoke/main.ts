import { parseArgs } from 'node:util';
import { SmokeFailure, smokeTest } from './smoke-test.js';

const USAGE = `usage: npm run smoke -- --url <deployment URL>
  Checks a deployment: health, then a login and a refresh with a domain it creates and deletes.
  The admin token comes from ADMIN_TOKEN (never an argument: arguments show in process lists).
  Exit codes: 0 every step passed, 1 a step failed (the message says which), 2 usage.`;

async function main(): Promise<number> {
  let url: string | undefined;
  try {
    ({ url } = parseArgs({ options: { url: { type: 'string' } } }).values);
  } catch (error) {
    console.error(`smoke: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const adminToken = process.env.ADMIN_TOKEN;
  if (!url || !URL.canParse(url) || !adminToken) {
    console.error(`smoke: ${!adminToken ? 'ADMIN_TOKEN is not set' : '--url <deployment URL> is required'}\n${USAGE}`);
    return 2;
  }
  try {
    await smokeTest({ url, adminToken, report: (line) => console.log(line) });
    console.log(`smoke: ${url} passed`);
    return 0;
  } catch (error) {
    console.error(`smoke: ${error instanceof SmokeFailure ? error.message : `unexpected error: ${(error as Error).message}`}`);
    return 1;
  }
}

process.exitCode = await main();
