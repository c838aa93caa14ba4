import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { KeyStoreUnavailable } from '../common/errors.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { DomainKeys, SigningKey } from './signing-key.js';

interface KeyFile {
  versions: Array<{ stages: string[]; key: SigningKey }>;
}

/**
 * The embedded mode's key store: one JSON file per domain under `<dataDir>/keys`, mode 0600,
 * holding the same versions and staging labels a Secrets Manager secret would.
 */
@Injectable()
export class FileKeyStore extends KeyStore {
  private readonly dir: string;

  constructor(config: AppConfig) {
    super();
    this.dir = join(config.dataDir, 'keys');
  }

  async read(domain: string): Promise<DomainKeys | undefined> {
    const file = await this.load(domain);
    const byStage = (stage: string) => file?.versions.find((version) => version.stages.includes(stage))?.key;
    const current = byStage('AWSCURRENT');
    return current ? { current, previous: byStage('AWSPREVIOUS'), pending: byStage('AWSPENDING') } : undefined;
  }

  async create(domain: string, key: SigningKey): Promise<'created' | 'exists'> {
    const file: KeyFile = { versions: [{ stages: ['AWSCURRENT'], key }] };
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // Written aside, then linked into place: a crash never leaves a half-written key file,
      // and link() fails when the file exists, like CreateSecret does.
      const target = this.path(domain);
      const staged = `${target}.${randomSecret(6)}.tmp`;
      await writeFile(staged, JSON.stringify(file), { mode: 0o600 });
      try {
        await link(staged, target);
      } finally {
        await unlink(staged);
      }
      return 'created';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw new KeyStoreUnavailable();
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  private path(domain: string): string {
    return join(this.dir, `${encodeURIComponent(domain)}.json`);
  }

  private async load(domain: string): Promise<KeyFile | undefined> {
    try {
      return JSON.parse(await readFile(this.path(domain), 'utf8')) as KeyFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KeyStoreUnavailable();
    }
  }
}
