/// <reference types="vite/client" />

declare module 'virtual:pretrained' {
  /** Names of the models shipped in @lanes/models' pretrained/ when the app was built. */
  const names: string[];
  export default names;
}
