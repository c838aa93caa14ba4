import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidConfigError, loadConfig } from './config/load-config.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await startServer(config);
}

main().catch((error: unknown) => {
  new Logger('Bootstrap').fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
