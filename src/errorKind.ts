/**
 * What kind of failure an error reports. Code outside src/cli must not import
 * the CLI, so its error classes say what went wrong (`readonly kind = …`) and the
 * CLI alone decides the exit code of each kind (src/cli/errors.ts).
 */
export const ERROR_KINDS = [
  /** The user's file, folder, option or configuration is wrong: nothing was spoilt, fix it and run again. */
  'bad-input',
  /** Something failed while running (a port in use, an unsupported op, a broken model folder). */
  'failure',
  /** Training diverged: a loss or a weight became NaN or infinite. */
  'diverged',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The kind an error declares, or undefined for an error that declares none (a bug, or a Node system error). */
export function errorKindOf(err: unknown): ErrorKind | undefined {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return (ERROR_KINDS as readonly unknown[]).includes(kind) ? (kind as ErrorKind) : undefined;
}

/**
 * The base class of an error of one kind, declared in one line where it is thrown:
 * `export class CheckpointError extends errorOfKind('bad-input') {}`. `name` is the
 * subclass's own name (new.target), so neither the kind nor the name is written twice.
 */
export function errorOfKind(kind: ErrorKind) {
  return class extends Error {
    readonly kind: ErrorKind = kind;
    constructor(message: string) {
      super(message);
      this.name = new.target.name;
    }
  };
}
