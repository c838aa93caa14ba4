import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { storeCall } from '../aws/store-call.js';
import { KeyStoreUnavailable } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { KeyStore } from './key-store.js';
import { CURRENT, KeyVersion, PENDING, SigningKey } from './signing-key.js';

const hasName = (error: unknown, ...names: string[]) => error instanceof Error && names.includes(error.name);
const keyStoreFault = () => new KeyStoreUnavailable();

/** One secret per domain (`<prefix><domain>`); rotation moves the staging labels between its versions. */
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

  versions(domain: string): Promise<KeyVersion[]> {
    const SecretId = this.secretName(domain);
    return storeCall(
      'DescribeSecret',
      async () => {
        const described = await this.client.send(new DescribeSecretCommand({ SecretId })).catch((error: unknown) => {
          if (hasName(error, 'ResourceNotFoundException')) return { VersionIdsToStages: {} as Record<string, string[]> };
          throw error;
        });
        const labelled = Object.entries(described.VersionIdsToStages ?? {}).filter(([, stages]) => stages.length > 0);
        return Promise.all(
          labelled.map(async ([versionId, stages]) => {
            const value = await this.client.send(new GetSecretValueCommand({ SecretId, VersionId: versionId }));
            return { versionId, stages, key: JSON.parse(value.SecretString!) as SigningKey };
          }),
        );
      },
      keyStoreFault,
    );
  }

  create(domain: string, versionId: string, key: SigningKey): Promise<'created' | 'exists'> {
    const command = new CreateSecretCommand({
      Name: this.secretName(domain),
      ClientRequestToken: versionId,
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
            if (hasName(error, 'ResourceExistsException')) return 'exists' as const;
            throw error;
          },
        ),
      keyStoreFault,
    );
  }

  putPending(domain: string, versionId: string, key: SigningKey): Promise<void> {
    const command = new PutSecretValueCommand({
      SecretId: this.secretName(domain),
      ClientRequestToken: versionId,
      SecretString: JSON.stringify(key),
      VersionStages: [PENDING],
    });
    return storeCall(
      'PutSecretValue',
      async () => {
        await this.client.send(command);
      },
      keyStoreFault,
    );
  }

  promote(domain: string, versionId: string, currentVersionId: string): Promise<boolean> {
    const SecretId = this.secretName(domain);
    return storeCall(
      'UpdateSecretVersionStage',
      async () => {
        try {
          // RemoveFromVersionId makes this a compare-and-swap: it fails if AWSCURRENT has moved.
          await this.client.send(
            new UpdateSecretVersionStageCommand({
              SecretId,
              VersionStage: CURRENT,
              MoveToVersionId: versionId,
              RemoveFromVersionId: currentVersionId,
            }),
          );
        } catch (error) {
          if (hasName(error, 'InvalidParameterException', 'InvalidRequestException')) return false;
          throw error;
        }
        await this.client
          .send(new UpdateSecretVersionStageCommand({ SecretId, VersionStage: PENDING, RemoveFromVersionId: versionId }))
          .catch((error: unknown) => {
            // AWSPENDING already moved on to another version: nothing to clear.
            if (!hasName(error, 'InvalidParameterException', 'InvalidRequestException')) throw error;
          });
        return true;
      },
      keyStoreFault,
    );
  }

  /**
   * Without a recovery window: the domain is gone and its tokens must stop verifying, and a
   * secret waiting out its window would keep the domain's name from being used again.
   */
  deleteAll(domain: string): Promise<void> {
    const command = new DeleteSecretCommand({ SecretId: this.secretName(domain), ForceDeleteWithoutRecovery: true });
    return storeCall(
      'DeleteSecret',
      async () => {
        await this.client.send(command).catch((error: unknown) => {
          if (!hasName(error, 'ResourceNotFoundException')) throw error;
        });
      },
      keyStoreFault,
    );
  }

  async ping(): Promise<void> {
    // A name that never exists under our prefix: "not found" proves the service answers and we may ask.
    await this.client.send(new DescribeSecretCommand({ SecretId: `${this.config.secretPrefix}health-probe` })).catch((error) => {
      if (!hasName(error, 'ResourceNotFoundException')) throw error;
    });
  }

  private secretName(domain: string): string {
    return `${this.config.secretPrefix}${domain}`;
  }
}
