// The service's own PasswordHasher from a build, configured as the bench starts the service
// (default argon2 parameters): the ceiling of a login is exactly its hashing work.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function serviceHasher(serviceDir) {
  const load = (file) => import(pathToFileURL(join(serviceDir, 'dist', file)).href);
  const [{ PasswordHasher }, { loadConfig }] = await Promise.all([load('users/password-hasher.js'), load('config/load-config.js')]);
  return new PasswordHasher(loadConfig({}));
}
