// Types for scripts/extract-github-openapi.mjs, so TypeScript tests can import it.
export declare const OPERATIONS: string[];
export declare function extractSubset(
  spec: { openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>>; components?: Record<string, Record<string, unknown>> },
  operations: string[],
  meta: { source: string },
): { openapi: string; info: { title: string; version: string; source: string }; paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };
