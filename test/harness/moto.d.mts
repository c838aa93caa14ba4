export interface Moto {
  endpoint: string;
  port: number;
  pid: number;
  /** SIGTERM, resolved once it has exited (continue a stopped one first). */
  stop(): Promise<void>;
}
export function startMoto(root: string, options?: { port?: number }): Promise<Moto>;
export function ensurePythonTool(root: string, requirement: string): string;
export function ensureMoto(root: string): string;
