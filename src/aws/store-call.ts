import { Logger } from '@nestjs/common';
import { StoreUnavailable } from '../common/errors.js';
import { StoreCircuitOpen } from './store-guard.js';

const logger = new Logger('Storage');

export type StoreFaultListener = (operation: string) => void;

/**
 * Who hears about store faults. The repositories call the module-level `storeCall`, so the
 * metrics (a DI service with the app's own registry) subscribe here for the app's lifetime
 * instead of every adapter taking a metrics dependency. (Two apps in one process, as in tests,
 * both hear every fault of the process.)
 */
const faultListeners = new Set<StoreFaultListener>();

/** Calls `listener` with the operation of every store fault until the returned function is called. */
export function onStoreFault(listener: StoreFaultListener): () => void {
  faultListeners.add(listener);
  return () => faultListeners.delete(listener);
}

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
    // While the breaker is open every call fails this way; the breaker itself said so once.
    if (!(error instanceof StoreCircuitOpen)) logger.warn(`${operation} failed: ${name}`);
    for (const listener of faultListeners) listener(operation);
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

/** One conditional write: true when its condition held, false when it did not; a fault is a 503. */
export function conditionalWrite(operation: string, write: () => Promise<unknown>): Promise<boolean> {
  return storeCall(operation, () =>
    unlessConditionFails(
      write().then(() => true),
      false,
    ),
  );
}
