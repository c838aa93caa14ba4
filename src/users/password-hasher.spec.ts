import { loadConfig } from '../config/load-config.js';
import { meetsOwaspFloor } from './argon2-parameters.js';
import { PasswordHasher } from './password-hasher.js';

describe('argon2id parameters', () => {
  it.each([
    [{ memoryKiB: 19_456, timeCost: 2, parallelism: 1 }, true],
    [{ memoryKiB: 47_104, timeCost: 1, parallelism: 1 }, true],
    [{ memoryKiB: 7_168, timeCost: 5, parallelism: 1 }, true],
    [{ memoryKiB: 65_536, timeCost: 3, parallelism: 4 }, true],
    [{ memoryKiB: 19_456, timeCost: 1, parallelism: 1 }, false],
    [{ memoryKiB: 7_167, timeCost: 10, parallelism: 1 }, false],
    [{ memoryKiB: 12_288, timeCost: 2, parallelism: 1 }, false],
  ])('%p meets the OWASP floor: %p', (parameters, meets) => {
    expect(meetsOwaspFloor(parameters)).toBe(meets);
  });

  it('are refused at startup below the floor, with the floor named', () => {
    expect(() => loadConfig({ ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '2' })).toThrow(/below OWASP's floor .*m=19456 KiB with t≥2/);
    expect(loadConfig({ ARGON2_MEMORY_KIB: '12288', ARGON2_TIME_COST: '3' }).argon2).toEqual({
      memoryKiB: 12_288,
      timeCost: 3,
      parallelism: 1,
    });
  });
});

describe('PasswordHasher', () => {
  const hasher = (env: Record<string, string> = {}) => new PasswordHasher(loadConfig(env));

  it('hashes with the configured parameters and verifies', async () => {
    const cheap = hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5' });
    const hash = await cheap.hash('a password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    await expect(cheap.verify(hash, 'a password')).resolves.toBe(true);
    await expect(cheap.verify(hash, 'another')).resolves.toBe(false);
  });

  it('asks for a rehash of a hash weaker than configured, or not argon2id; never for a stronger one', async () => {
    const hash = await hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5' }).hash('a password');
    expect(hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5' }).needsRehash(hash)).toBe(false);
    expect(hasher().needsRehash(hash)).toBe(true);
    expect(hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '6' }).needsRehash(hash)).toBe(true);
    expect(hasher({ ARGON2_MEMORY_KIB: '47104', ARGON2_TIME_COST: '1' }).needsRehash(hash)).toBe(true);
    const strong = await hasher({ ARGON2_MEMORY_KIB: '9216', ARGON2_TIME_COST: '5' }).hash('a password');
    expect(hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5' }).needsRehash(strong)).toBe(false);
    expect(hasher({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5', ARGON2_PARALLELISM: '2' }).needsRehash(hash)).toBe(true);
    expect(hasher().needsRehash(hash.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(hasher().needsRehash('not a hash')).toBe(true);
  });
});
