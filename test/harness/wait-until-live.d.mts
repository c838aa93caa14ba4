import type { ChildProcess } from 'node:child_process';

export function waitUntilLive(child: ChildProcess, publicUrl: string, output: () => string, timeoutMs: number): Promise<void>;
