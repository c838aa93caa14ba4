import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CliModule } from '../cli/cli.module.js';
import { AppConfig } from '../config/app-config.js';
import { loadConfig } from '../config/load-config.js';
import { ROTATION_STEPS, RotationStep } from './rotation-step.js';
import { RotationService } from './rotation.service.js';

/** The event Secrets Manager sends a rotation Lambda. */
export interface SecretsManagerRotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: string;
}

export const ROTATION_LAMBDA_ACTOR = 'secretsmanager-rotation';

/** The domain a secret belongs to, from its name or ARN (`arn:...:secret:<name>-<6 random chars>`). */
export function domainOfSecret(secretId: string, secretPrefix: string): string {
  const name = secretId.startsWith('arn:') ? secretId.split(':secret:')[1].replace(/-[A-Za-z0-9]{6}$/, '') : secretId;
  if (!name.startsWith(secretPrefix)) throw new Error(`Secret ${secretId} is not under ${secretPrefix}`);
  return name.slice(secretPrefix.length);
}

/** Runs one rotation step with the service's own code: the same path the admin API and CLI take. */
export async function runRotationStep(app: INestApplicationContext, event: SecretsManagerRotationEvent): Promise<void> {
  if (!(ROTATION_STEPS as readonly string[]).includes(event.Step)) throw new Error(`Unknown rotation step ${event.Step}`);
  const domain = domainOfSecret(event.SecretId, app.get(AppConfig).secretPrefix);
  await app.get(RotationService).runStep(domain, event.ClientRequestToken, event.Step as RotationStep, ROTATION_LAMBDA_ACTOR);
}

let context: Promise<INestApplicationContext> | undefined;

/** Entry point with the Secrets Manager rotation Lambda signature. */
export async function handler(event: SecretsManagerRotationEvent): Promise<void> {
  context ??= NestFactory.createApplicationContext(CliModule.forRoot(loadConfig()), { logger: ['warn', 'error', 'fatal'] });
  await runRotationStep(await context, event);
}
