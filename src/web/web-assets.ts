import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** One file of the built client, with its compressed forms made on first use. */
export interface WebAsset {
  body: Buffer;
  type: string;
  etag: string;
  /** Content-hashed names never change: cache them for good. index.html is revalidated. */
  immutable: boolean;
  compressed: Partial<Record<'br' | 'gzip', Buffer>>;
}

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

const RECHECK_MS = 1_000;

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.map', '.svg', '.webmanifest']);

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

/**
 * The built client (`npm run build:client` writes public/), read into memory on the first request
 * and again when index.html changes, so a rebuild is served without a restart.
 */
@Injectable()
export class WebAssets {
  private readonly logger = new Logger('WebAssets');
  readonly root = join(projectRoot(), 'public');
  private files = new Map<string, WebAsset>();
  private loadedIndexMtime = -1;
  private lastChecked = 0;

  /** The file at this path under public/ ('index.html', 'assets/app-X.js'), or null. */
  get(path: string): WebAsset | null {
    this.refresh();
    return this.files.get(path) ?? null;
  }

  /** The body for the client's Accept-Encoding, and the encoding used. */
  encode(
    asset: WebAsset,
    path: string,
    acceptEncoding: string,
  ): { body: Buffer; encoding?: string } {
    if (!COMPRESSIBLE.has(extname(path)) || asset.body.length < 1024) return { body: asset.body };
    const accepts = (name: string) =>
      new RegExp(`\\b${name}\\b(?!;q=0(?:\\.0*)?\\b)`).test(acceptEncoding);
    if (accepts('br')) {
      asset.compressed.br ??= brotliCompressSync(asset.body, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: 10,
          [zlib.BROTLI_PARAM_SIZE_HINT]: asset.body.length,
        },
      });
      return { body: asset.compressed.br, encoding: 'br' };
    }
    if (accepts('gzip')) {
      asset.compressed.gzip ??= gzipSync(asset.body, { level: 9 });
      return { body: asset.compressed.gzip, encoding: 'gzip' };
    }
    return { body: asset.body };
  }

  /** Looks for a rebuilt client at most once a second, so requests rarely touch the disk. */
  private refresh(): void {
    const now = Date.now();
    if (now - this.lastChecked < RECHECK_MS) return;
    this.lastChecked = now;
    let mtime: number;
    try {
      mtime = statSync(join(this.root, 'index.html')).mtimeMs;
    } catch {
      if (this.loadedIndexMtime !== 0) {
        this.logger.warn(
          `The web client is not built (no ${this.root}/index.html): run npm run build`,
        );
      }
      this.files = new Map();
      this.loadedIndexMtime = 0;
      return;
    }
    if (mtime === this.loadedIndexMtime) return;
    const files = new Map<string, WebAsset>();
    this.readFolder('', files);
    this.files = files;
    this.loadedIndexMtime = mtime;
  }

  private readFolder(relative: string, into: Map<string, WebAsset>): void {
    for (const entry of readdirSync(join(this.root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        this.readFolder(path, into);
        continue;
      }
      const type = TYPES[extname(entry.name)];
      if (!entry.isFile() || !type || entry.name.startsWith('.')) continue;
      const body = readFileSync(join(this.root, path));
      into.set(path, {
        body,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        immutable: path.startsWith('assets/'),
        compressed: {},
      });
    }
  }
}
