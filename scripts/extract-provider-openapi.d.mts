// Types for scripts/extract-provider-openapi.mjs, so TypeScript tests can import it.
export declare const PROVIDERS: Record<'vault' | 'atlas', { title: string; out: string; operations: string[] }>;
export declare function unicodeSafePattern(pattern: string): string;
export declare function extractProviderSubset(
  provider: 'vault' | 'atlas',
  spec: { openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>>; components?: Record<string, Record<string, unknown>> },
  source: string,
): { openapi: string; info: { title: string; version: string; source: string }; paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };
