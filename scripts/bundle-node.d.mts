export interface BundleForNodeOptions {
  sourcemap?: boolean | 'inline' | 'linked';
  logLevel?: 'silent' | 'error' | 'warning';
}
/** Bundles a TypeScript entry for plain Node 20 (ESM, dependencies external); returns outfile. */
export function bundleForNode(entry: string, outfile: string, opts?: BundleForNodeOptions): Promise<string>;
