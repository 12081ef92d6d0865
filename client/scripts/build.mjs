// Builds the web client into public/: one minified JS bundle and one CSS file with content hashes in
// their names, and index.html pointing at them, after type-checking the client (esbuild only strips
// types; the client shares the server's wire types, limits and error codes). `--watch` rebuilds on
// change, and `--no-check` builds once, without the type check; `--quiet` prints nothing but errors.
import { build, context } from 'esbuild';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Writes index.html (atomically, last, so a server never reads a page whose assets are missing).
 * @param {import('esbuild').Metafile} metafile
 */
async function writePage(metafile) {
  const outputs = Object.keys(metafile.outputs)
    .filter((file) => !file.endsWith('.map'))
    .map((file) => relative(outDir, join(rootDir, file)).split('\\').join('/'));
  const js = outputs.find((file) => /^assets\/app-[\w]+\.js$/.test(file));
  const css = outputs.find((file) => /^assets\/styles-[\w]+\.css$/.test(file));
  if (!js || !css) throw new Error(`unexpected build outputs: ${outputs.join(', ')}`);
  const template = await readFile(join(clientDir, 'index.html'), 'utf8');
  const page = template
    .replaceAll('/assets/app.js', `/${js}`)
    .replaceAll('/assets/styles.css', `/${css}`);
  await writeFile(join(outDir, 'favicon.svg'), await readFile(join(clientDir, 'favicon.svg')));
  const temporary = join(outDir, `.index.html.${process.pid}`);
  await writeFile(temporary, page);
  await rename(temporary, join(outDir, 'index.html'));
  return { js, css };
}

/**
 * Removes assets of earlier builds (only from the command line: tests may build concurrently).
 * @param {string[]} keep
 */
async function removeStale(keep) {
  const kept = new Set(keep.flatMap((file) => [basename(file), `${basename(file)}.map`]));
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
