// Builds the web client into public/: one minified JS bundle and one CSS file with content hashes in
// Builds the web client into public/: one minified JS bundle and one CSS file with content hashes in
// their names, and index.html pointing at them, each text file also compressed beside it (.br, .gz)
// for the server to send as it is, after type-checking the client (esbuild only strips types; the
// client shares the server's wire types, limits and error codes). `--watch` rebuilds on change,
// and `--no-check` builds once, without the type check; `--quiet` prints nothing but errors.
import { build, context } from 'esbuild';
import { Buffer } from 'node:buffer';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = join(clientDir, '..');
const outDir = join(rootDir, 'public');
const assetsDir = join(outDir, 'assets');

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const quiet = args.has('--quiet');

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: {
    app: join(clientDir, 'src', 'main.ts'),
    styles: join(clientDir, 'src', 'styles.css'),
  },
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: quiet ? 'silent' : 'warning',
  tsconfig: join(clientDir, 'tsconfig.json'),
};

/** Type-checks the client with its tsconfig.json; prints the errors and exits if there are any. */
async function typeCheck() {
  const { default: ts } = await import('typescript');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(clientDir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('client/tsconfig.json cannot be read');
  const program = ts.createProgram(config.fileNames, config.options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length === 0) return;
  const host = {
    getCanonicalFileName: (/** @type {string} */ file) => file,
    getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
    getNewLine: () => '\n',
  };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

/** Text files of at least 1 KiB are compressed; below that, the headers cost more than is saved. */
const COMPRESSIBLE = /\.(html|js|css|map|svg|webmanifest)$/;
const MIN_COMPRESSED_BYTES = 1024;
/** Extensions of the compressed forms, as the server looks for them, and how each is made. */
const COMPRESSED_FORMS = {
  br: (/** @type {Buffer} */ data) =>
    promisify(brotliCompress)(data, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gz: (/** @type {Buffer} */ data) => promisify(gzip)(data, { level: zlib.Z_BEST_COMPRESSION }),
};

/**
 * Replaces a file at once (a server may be reading it): written beside it under a dot name, which
 * is never served, then renamed.
 * @param {string} path
 * @param {string | Buffer} data
 */
async function writeAtomically(path, data) {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}`);
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * Writes the compressed forms of a file of public/ beside it, or removes stale ones when the file
 * is not worth compressing.
 * @param {string} file relative to public/
 * @param {Buffer} data the file's content
 */
async function writeCompressed(file, data) {
  const worth = COMPRESSIBLE.test(file) && data.length >= MIN_COMPRESSED_BYTES;
  await Promise.all(
    Object.entries(COMPRESSED_FORMS).map(async ([extension, compress]) => {
      const path = join(outDir, `${file}.${extension}`);
      if (worth) await writeAtomically(path, await compress(data));
      else await rm(path, { force: true });
    }),
  );
}

/**
 * Compresses the bundles, then writes index.html (compressed forms first, the page itself last,
 * each atomically, so a server never reads a page whose assets are missing).
 * @param {import('esbuild').Metafile} metafile
 */
async function writePage(metafile) {
  const outputs = Object.keys(metafile.outputs).map((file) =>
    relative(outDir, join(rootDir, file)).split('\\').join('/'),
  );
  const js = outputs.find((file) => /^assets\/app-[\w]+\.js$/.test(file));
  const css = outputs.find((file) => /^assets\/styles-[\w]+\.css$/.test(file));
  if (!js || !css) throw new Error(`unexpected build outputs: ${outputs.join(', ')}`);
  await Promise.all(
    outputs.map(async (file) => writeCompressed(file, await readFile(join(outDir, file)))),
  );
  const template = await readFile(join(clientDir, 'index.html'), 'utf8');
  const page = Buffer.from(
    template.replaceAll('/assets/app.js', `/${js}`).replaceAll('/assets/styles.css', `/${css}`),
  );
  const icon = await readFile(join(clientDir, 'favicon.svg'));
  await writeAtomically(join(outDir, 'favicon.svg'), icon);
  await writeCompressed('favicon.svg', icon);
  await writeCompressed('index.html', page);
  await writeAtomically(join(outDir, 'index.html'), page);
  return { js, css };
}

/**
 * Removes assets of earlier builds (only from the command line: tests may build concurrently).
 * @param {string[]} keep
 */
async function removeStale(keep) {
  const kept = new Set(
    keep
      .flatMap((file) => [basename(file), `${basename(file)}.map`])
      .flatMap((name) => [name, ...Object.keys(COMPRESSED_FORMS).map((form) => `${name}.${form}`)]),
  );
  for (const name of await readdir(assetsDir)) {
    if (!kept.has(name)) await rm(join(assetsDir, name), { force: true });
  }
}

/** @param {string[]} files */
async function report(files) {
  let total = 0;
  const parts = [];
  for (const file of files) {
    const size = (await readFile(join(outDir, file))).length;
    total += size;
    parts.push(`${file} ${(size / 1024).toFixed(1)} KiB`);
  }
  if (!quiet) console.log(`client: ${parts.join(', ')}; JS+CSS ${(total / 1024).toFixed(1)} KiB`);
}

await mkdir(assetsDir, { recursive: true });
if (watch) {
  const ctx = await context({
    ...options,
    plugins: [
      {
        name: 'page',
        setup(pluginBuild) {
          pluginBuild.onEnd(async (result) => {
            if (result.errors.length > 0 || !result.metafile) return;
            const { js, css } = await writePage(result.metafile);
            await report([js, css]);
          });
        },
      },
    ],
  });
  await ctx.watch();
  if (!quiet) console.log('client: watching client/ for changes');
} else {
  if (!args.has('--no-check')) await typeCheck();
  const result = await build(options);
  const { js, css } = await writePage(result.metafile);
  if (!args.has('--keep-stale')) await removeStale([js, css]);
  await report([js, css]);
}
