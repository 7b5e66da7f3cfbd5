/** What every page module exports. */
export interface PageModule {
  /**
   * Builds the page inside `root` and resolves once its first results are on screen. `signal`
   * aborts when the user leaves the page (stop loops, free resources).
   */
  mount(root: HTMLElement, signal: AbortSignal): Promise<void>;
}
