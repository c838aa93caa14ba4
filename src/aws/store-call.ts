import { Logger } from '@nestjs/common';
import { StoreUnavailable } from '../common/errors.js';

const logger = new Logger('Storage');

/** Runs one store operation; any fault the caller did not handle becomes a 503 without SDK details. */
export async function storeCall<T>(
  operation: string,
  call: () => Promise<T>,
  onFault: () => Error = () => new StoreUnavailable(),
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Unknown';
    logger.warn(`${operation} failed: ${name}`);
    throw onFault();
  }
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Resolves to `fallback` when a conditional write's condition did not hold; other errors pass through. */
export function unlessConditionFails<T, F>(write: Promise<T>, fallback: F): Promise<T | F> {
  return write.catch((error: unknown) => {
    if (isConditionFailure(error)) return fallback;
    throw error;
  });
}
