import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ValidationFailed } from '../common/errors.js';

/** A command's work once its arguments parsed; what it returns is printed as JSON. */
export type Job = (app: INestApplicationContext) => Promise<unknown>;

/** A result printed as it is, not as JSON (a table for people). */
export class PlainText {
  constructor(readonly text: string) {}
}

/** What the commands get from main.ts, which owns the process: the services, the password, the terminal. */
export interface CliRuntime {
  /** Creates the services (connecting to the store), runs the job, prints its result, closes them. */
  run(job: Job): Promise<void>;
  readPassword(): Promise<string>;
  /** A line for the operator, on stderr after the result: stdout carries the JSON alone. */
  notice(message: string): void;
}

/** The same validation the HTTP API applies to its bodies. */
export async function validated<T extends object>(type: new () => T, plain: object): Promise<T> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ValidationFailed(errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '));
  return instance;
}

// Left as text for the DTO to judge, so a bad number fails as the API's validation does.
export const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
