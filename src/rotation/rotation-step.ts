/** The four steps of the Secrets Manager rotation protocol, in order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotationResult {
  domain: string;
  status: 'rotated' | 'skipped' | 'in-progress' | 'failed';
  kid?: string;
  previousKid?: string;
  actor: string;
  at: string;
}
