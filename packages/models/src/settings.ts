/**
 * Settings of the registered workflows (attacks, recipes) as data: type, allowed values, default
 * and meaning, so command lines, scripts and pages offer and check the same choices.
 */
import { InvalidInputError } from './validate.js';

/** One setting of a registered workflow. */
export interface SettingSpec {
  /** 'number' (finite), 'integer', 'choice' (one of `choices`) or 'boolean' (a switch, default off). */
  readonly type: 'number' | 'integer' | 'choice' | 'boolean';
  /** Allowed values of a 'choice'. */
  readonly choices?: readonly string[];
  /** Smallest allowed value of a number or integer (inclusive). */
  readonly min?: number;
  /** Largest allowed value of a number or integer (inclusive). */
  readonly max?: number;
  /** The value used when none is given (omitted: the workflow's own default, said in `description`). */
  readonly default?: number | string | boolean;
  /** One line of documentation. */
  readonly description: string;
}

/** A setting's value. */
export type SettingValue = number | string | boolean;

/**
 * Checks `value` of setting `key` of workflow `owner` against `spec` and returns it; an
 * {@link InvalidInputError} says what is allowed otherwise.
 */
export function checkSetting(owner: string, key: string, spec: SettingSpec, value: unknown): SettingValue {
  const got = typeof value === 'string' ? `'${value}'` : String(value);
  if (spec.type === 'choice') {
    if (typeof value !== 'string' || !spec.choices?.includes(value))
      throw new InvalidInputError(`${owner}: ${key} must be one of ${spec.choices?.join(', ')}, got ${got}`);
    return value;
  }
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') throw new InvalidInputError(`${owner}: ${key} must be true or false, got ${got}`);
    return value;
  }
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (spec.type !== 'integer' || Number.isInteger(value)) &&
    (spec.min === undefined || value >= spec.min) &&
    (spec.max === undefined || value <= spec.max);
  if (!ok) {
    const what = spec.type === 'integer' ? 'an integer' : 'a finite number';
    const range = [spec.min !== undefined ? `≥ ${spec.min}` : '', spec.max !== undefined ? `≤ ${spec.max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new InvalidInputError(`${owner}: ${key} must be ${what}${range ? ` ${range}` : ''}, got ${got}`);
  }
  return value as number;
}
