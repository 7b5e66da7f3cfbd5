import { version as packageVersion } from '../package.json';

/** This package's version (from its package.json). */
export const version: string = packageVersion;
