/**
 * Errors of the Keras reader and writer: all are {@link InvalidInputError}s (a model file is user
 * input), each saying what was wrong with which file and what to do.
 */
import { InvalidInputError } from '../validate.js';

/** Throws `loadKerasModel: <what>` as an {@link InvalidInputError}. */
export function kerasError(message: string): never {
  throw new InvalidInputError(`loadKerasModel: ${message}`);
}

/** Throws `saveKerasModel: <what>` as an {@link InvalidInputError}. */
export function saveError(message: string): never {
  throw new InvalidInputError(`saveKerasModel: ${message}`);
}

/** A JSON value as Keras writes it (config.json, the model_config attribute). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Whether `v` is a JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
