/**
 * Which training methods can learn action units, and the refusal for the rest,
 * kept apart from the trainer so the command line can check before loading LibTorch.
 */
export const AU_METHODS = ['supervised'] as const;

/** Why `method` cannot train an AU model, or null when it can. */
export function auMethodRefusal(method: string): string | null {
  if ((AU_METHODS as readonly string[]).includes(method)) return null;
  return `--task au trains with --method ${AU_METHODS.join(' or ')} only (got ${method}): the semi-supervised methods pseudo-label one expression per face, ` +
    'while a face has many action units, each present or not (docs/action-units.md says what semi-supervised AU training would take)';
}
