import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { KeyStoreUnavailable } from '../common/errors.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { CURRENT, KeyVersion, PENDING, PREVIOUS, SigningKey } from './signing-key.js';

const LOCK_ATTEMPTS = 100;
const LOCK_WAIT_MS = 20;
/** A lock older than this was left by a process that died while holding it. */
const STALE_LOCK_MS = 10_000;

/**
 * The embedded mode's key store: one JSON file per domain under `<dataDir>/keys`, mode 0600,
 * holding the same versions and staging labels a Secrets Manager secret would. Changes are made
 * under a per-domain lock (the server and the CLI may both write) and land by atomic rename.
 */
@Injectable()
export class FileKeyStore extends KeyStore {
  private readonly dir: string;

  constructor(config: AppConfig) {
    super();
    this.dir = join(config.dataDir, 'keys');
  }

  async versions(domain: string): Promise<KeyVersion[]> {
    return (await this.load(domain)) ?? [];
  }

  create(domain: string, versionId: string, key: SigningKey): Promise<'created' | 'exists'> {
    return this.change(domain, (versions) => {
      if (versions) return { result: 'exists' as const };
      return { result: 'created' as const, versions: [{ versionId, stages: [CURRENT], key }] };
    });
  }

  putPending(domain: string, versionId: string, key: SigningKey): Promise<void> {
    return this.change(domain, (versions = []) => {
      if (versions.some((version) => version.versionId === versionId)) return { result: undefined };
      const others = versions.map((version) => ({ ...version, stages: version.stages.filter((stage) => stage !== PENDING) }));
      return { result: undefined, versions: [...others, { versionId, stages: [PENDING], key }] };
    });
  }

  promote(domain: string, versionId: string, currentVersionId: string): Promise<boolean> {
    return this.change(domain, (versions = []) => {
      const current = versions.find((version) => version.stages.includes(CURRENT));
      if (current?.versionId !== currentVersionId || !versions.some((version) => version.versionId === versionId)) {
        return { result: false };
      }
      // The same moves Secrets Manager makes: AWSCURRENT over, the old current becomes AWSPREVIOUS.
      const relabelled = versions.map((version) => {
        if (version.versionId === versionId) return { ...version, stages: [CURRENT] };
        if (version.versionId === currentVersionId) return { ...version, stages: [PREVIOUS] };
        return { ...version, stages: version.stages.filter((stage) => stage !== PREVIOUS) };
      });
      return { result: true, versions: relabelled.filter((version) => version.stages.length > 0) };
    });
  }

  async deleteAll(domain: string): Promise<void> {
    try {
      await rm(this.path(domain), { force: true });
    } catch {
      throw new KeyStoreUnavailable();
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  private path(domain: string): string {
    return join(this.dir, `${encodeURIComponent(domain)}.json`);
  }

  private async load(domain: string): Promise<KeyVersion[] | undefined> {
    try {
      return (JSON.parse(await readFile(this.path(domain), 'utf8')) as { versions: KeyVersion[] }).versions;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KeyStoreUnavailable();
    }
  }

  /** Read, decide, write: under the domain's lock, replacing the file atomically when there is a change. */
  private async change<T>(
    domain: string,
    decide: (versions: KeyVersion[] | undefined) => { result: T; versions?: KeyVersion[] },
  ): Promise<T> {
    const target = this.path(domain);
    const lock = `${target}.lock`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await this.acquire(lock);
    } catch {
      throw new KeyStoreUnavailable();
    }
    try {
      const { result, versions } = decide(await this.load(domain));
      if (versions) {
        const staged = `${target}.${randomSecret(6)}.tmp`;
        await writeFile(staged, JSON.stringify({ versions }), { mode: 0o600 });
        await rename(staged, target);
      }
      return result;
    } finally {
      await rmdir(lock).catch(() => undefined);
    }
  }

  /** mkdir is atomic: whoever creates the lock folder holds the lock. */
  private async acquire(lock: string): Promise<void> {
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      try {
        await mkdir(lock);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const held = await stat(lock).catch(() => undefined);
        if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rmdir(lock).catch(() => undefined);
        else await sleep(LOCK_WAIT_MS);
      }
    }
    throw new Error(`key file lock ${lock} is held`);
  }
}
