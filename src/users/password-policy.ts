import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PasswordRejected } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';

/** NIST SP 800-63B's floor, and every domain's default. */
export const DEFAULT_PASSWORD_MIN_LENGTH = 8;
const HIBP_TIMEOUT_MS = 2000;

/**
 * The password rules of NIST SP 800-63B §3.1.1.2: a minimum length (in characters, so a passphrase
 * in any script counts as typed), no password from a list of common and breached ones (zxcvbn-ts's
 * ~49,000, case folded), and, when HIBP_API_URL is set, none known breached by Have I Been Pwned's
 * range API (k-anonymity: only the first 5 hex digits of the SHA-1 leave the service). No
 * composition rules, no expiry.
 */
@Injectable()
export class PasswordPolicy {
  private readonly logger = new Logger(PasswordPolicy.name);
  private readonly common = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

  constructor(private readonly config: AppConfig) {}

  async check(password: string, minLength = DEFAULT_PASSWORD_MIN_LENGTH): Promise<void> {
    if ([...password].length < minLength) {
      throw new PasswordRejected('password_too_short', `The password must be at least ${minLength} characters long`);
    }
    if (this.common.has(password.toLowerCase())) {
      throw new PasswordRejected('password_too_common', 'The password is too common: choose one that is not in lists of leaked passwords');
    }
    if (await this.knownBreached(password)) {
      throw new PasswordRejected('password_breached', 'The password appeared in a data breach: choose another');
    }
  }

  /** HIBP's answer; when it cannot be asked, the offline list has decided (and a warning says so). */
  private async knownBreached(password: string): Promise<boolean> {
    const base = this.config.hibpApiUrl;
    if (!base) return false;
    const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
    try {
      const response = await fetch(`${base}/range/${sha1.slice(0, 5)}`, {
        headers: { 'add-padding': 'true', 'user-agent': 'auth-service' },
        signal: AbortSignal.timeout(HIBP_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const suffix = sha1.slice(5);
      return (await response.text()).split('\n').some((line) => {
        const [hash, count] = line.trim().split(':');
        return hash === suffix && Number(count) > 0;
      });
    } catch (error) {
      this.logger.warn(
        `Have I Been Pwned could not be asked (${error instanceof Error ? error.message : String(error)}): the offline list decided`,
      );
      return false;
    }
  }
}
