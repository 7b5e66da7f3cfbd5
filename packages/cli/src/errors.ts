/**
 * Errors the user can fix: one line saying what went wrong and how to fix it. main.ts prints
 * `lanes: <what> — <fix>` and exits with `exitCode`, without a stack trace unless --verbose.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** How to fix it (printed after the message). */
    readonly hint?: string,
    /** Process exit code: 2 for usage errors, 1 for bad inputs and files. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Parses a positive integer option, or throws a usage error naming the flag. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`${flag} expects a positive integer, got '${value}'`, `e.g. ${flag} 2`, 2);
    return n;
  };
}

/** Parses a non-negative integer option (seeds). */
export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new CliError(`${flag} expects a non-negative integer, got '${value}'`, `e.g. ${flag} 0`, 2);
    return n;
  };
}

/** Parses a finite number option. */
export function finiteNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new CliError(`${flag} expects a number, got '${value}'`, `e.g. ${flag} 0.1`, 2);
    return n;
  };
}

/** Checks an optional MNIST class flag (0-9) parsed by {@link finiteNumber}. */
export function requireClass(flag: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 9)) {
    throw new CliError(`${flag} must be a class 0-9, got ${value}`, `e.g. ${flag} 3`, 2);
  }
}
