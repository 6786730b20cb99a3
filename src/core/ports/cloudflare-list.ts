/**
 * A Cloudflare account IP list as the block-ips step sees it. Item writes are asynchronous bulk
 * operations (one pending per account): the adapter submits, polls the operation to completion
 * (reporting progress), and waits and retries while another operation is pending.
 */
export interface CloudflareListItem {
  id: string;
  ip: string;
  comment?: string | undefined;
}

export interface CloudflareBulkResult {
  operationId: string;
  /** Status polls it took until `completed`. */
  polls: number;
}

export interface CloudflareIpList {
  /** `cloudflare:list` plus the list id, for messages. */
  readonly description: string;
  items(): Promise<CloudflareListItem[]>;
  /** Appends (POST); an item already present keeps its place and gets the new comment. */
  append(items: ReadonlyArray<{ ip: string; comment?: string }>, progress?: (message: string) => void): Promise<CloudflareBulkResult>;
  remove(ids: readonly string[], progress?: (message: string) => void): Promise<CloudflareBulkResult>;
}

export const CLOUDFLARE_TARGET = 'cloudflare:list';
