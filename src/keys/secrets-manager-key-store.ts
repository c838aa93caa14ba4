import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { storeCall } from '../aws/store-call.js';
import { KeyStoreUnavailable } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { DomainKeys, SigningKey } from './signing-key.js';

const isNotFound = (error: unknown) => error instanceof Error && error.name === 'ResourceNotFoundException';
const keyStoreFault = () => new KeyStoreUnavailable();

/** One secret per domain (`<prefix><domain>`); the key versions carry AWSCURRENT/AWSPENDING/AWSPREVIOUS. */
@Injectable()
export class SecretsManagerKeyStore extends KeyStore {
  private readonly client: SecretsManagerClient;

  constructor(
    clients: AwsClients,
    private readonly config: AppConfig,
  ) {
    super();
    this.client = clients.secrets;
  }

  async read(domain: string): Promise<DomainKeys | undefined> {
    const [current, previous, pending] = await Promise.all(
      ['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING'].map((stage) => this.readStage(domain, stage)),
    );
    return current ? { current, previous, pending } : undefined;
  }

  async create(domain: string, key: SigningKey): Promise<'created' | 'exists'> {
    const command = new CreateSecretCommand({
      Name: this.secretName(domain),
      Description: `auth-service signing keys of domain ${domain}`,
      SecretString: JSON.stringify(key),
      KmsKeyId: this.config.kmsKeyId,
      Tags: [{ Key: 'auth-service:domain', Value: domain }],
    });
    return storeCall(
      'CreateSecret',
      () =>
        this.client.send(command).then(
          () => 'created' as const,
          (error: unknown) => {
            if (error instanceof Error && error.name === 'ResourceExistsException') return 'exists' as const;
            throw error;
          },
        ),
      keyStoreFault,
    );
  }

  async ping(): Promise<void> {
    // A name that never exists under our prefix: "not found" proves the service answers and we may ask.
    await this.client.send(new DescribeSecretCommand({ SecretId: `${this.config.secretPrefix}health-probe` })).catch((error) => {
      if (!isNotFound(error)) throw error;
    });
  }

  private secretName(domain: string): string {
    return `${this.config.secretPrefix}${domain}`;
  }

  private readStage(domain: string, stage: string): Promise<SigningKey | undefined> {
    const command = new GetSecretValueCommand({ SecretId: this.secretName(domain), VersionStage: stage });
    return storeCall(
      'GetSecretValue',
      () =>
        this.client.send(command).then(
          (output) => (output.SecretString ? (JSON.parse(output.SecretString) as SigningKey) : undefined),
          (error: unknown) => {
            if (isNotFound(error)) return undefined;
            throw error;
          },
        ),
      keyStoreFault,
    );
  }
}
