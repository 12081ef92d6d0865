import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** The repository root: the nearest folder above this file with a package.json (src/ or dist/src/). */
function projectRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) return process.cwd();
    folder = parent;
  }
  return folder;
}

/** Where `npm run build:client` writes the client, with each text file's .br and .gz beside it. */
export const CLIENT_ROOT = join(projectRoot(), 'public');

/** The page, always revalidated: it names the bundles of the latest build. */
export const PAGE = 'index.html';

/** Content types of the client's files, by extension: no other file of public/ is served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** A bundle's name, as esbuild writes them: no path, no leading dot, nothing to decode. */
const ASSET_NAME = /^\w[\w.-]*$/;

export function contentTypeOf(file: string): string | undefined {
  return TYPES[extname(file)];
}

/** The file under public/ that `/assets/<name>` names, or null when it cannot be a bundle. */
export function assetFile(name: string): string | null {
  return ASSET_NAME.test(name) && contentTypeOf(name) ? `assets/${name}` : null;
}

/** Bundles have content-hashed names, which never change: browsers keep them for good. */
export function cacheControlOf(file: string): string {
  return file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}
