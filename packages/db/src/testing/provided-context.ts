/**
 * The values global-setup.ts provides to test files. Imported by both sides, so packages that
 * typecheck their tests without the setup file still see the keys of `inject()`.
 */
export {};

declare module "vitest" {
  export interface ProvidedContext {
    mktTemplateDb: string;
    mktRunPrefix: string;
  }
}
