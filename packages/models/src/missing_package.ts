/**
 * Thrown when an optional peer dependency is needed but not installed (a data set, or h5wasm for
 * Keras files): they stay out of every install that does not use them.
 */
export class MissingPackageError extends Error {
  /**
   * @param packageName the npm package to install
   * @param purpose what needs it, e.g. "reading and writing Keras files"
   */
  constructor(
    readonly packageName: string,
    purpose: string,
  ) {
    super(
      `${purpose} needs the package '${packageName}', an optional peer dependency of @lanes/models ` +
        `installed only by those who use it: npm install ${packageName}`,
    );
    this.name = 'MissingPackageError';
  }
}
