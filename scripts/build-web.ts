import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { DASHBOARDS } from '../server/web-apps';
import { loadFormCatalogue } from '../survey-forms/catalogue';
import { projectRoot, surveyFormsDir } from '../survey-forms/paths';
import { formValidatorsPlugin } from './form-validators';

/**
 * Builds the enumerator app (web/) into web/dist: the bundle, the page, the stylesheet, the PWA
 * manifest and icons, and the service worker that caches all of them. `npm run build:web`; the
 * test setup and `npm run build` run it too.
 */

export interface WebBuild {
  outDir: string;
  /** Package version + hash of the bundle: recorded in each response's paradata. */
  appVersion: string;
  /** Files the service worker caches, as URLs. */
  shell: string[];
}

/** Browsers of the phones and tablets in the field: Chrome and Safari of the last few years. */
const TARGETS = ['chrome90', 'safari15', 'ios15', 'firefox90', 'edge90'];

/** How every page script is bundled: one minified preact bundle with a source map. */
const PAGE_BUNDLE = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: TARGETS,
  minify: true,
  sourcemap: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'external',
  logLevel: 'silent',
} as const satisfies BuildOptions;
const BUILD_ID_PLACEHOLDER = 'SIPAS_BUILD_ID_0';

export async function buildWebApp(options: { outDir?: string } = {}): Promise<WebBuild> {
  const root = projectRoot(__dirname);
  const webDir = path.join(root, 'web');
  const outDir = options.outDir ?? path.join(webDir, 'dist');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

  // The version names the bundle's own hash, which is known only after bundling: build with a
  // placeholder of the hash's length, then write the hash in.
  const bundle = await build({
    ...PAGE_BUNDLE,
    entryPoints: [path.join(webDir, 'src', 'main.tsx')],
    define: { __APP_VERSION__: JSON.stringify(`${version}+${BUILD_ID_PLACEHOLDER}`) },
    // Every questionnaire version of this checkout, validated by code generated now (no 'unsafe-eval' in the page).
    plugins: [formValidatorsPlugin(() => loadFormCatalogue(surveyFormsDir()).list().map((f) => f.definition))],
    outfile: path.join(outDir, 'app.js'),
    write: false,
  });
  const js = bundle.outputFiles.find((f) => f.path.endsWith('app.js'));
  if (!js) throw new Error('esbuild produced no app.js');
  const buildId = createHash('sha256').update(js.contents).digest('hex').slice(0, BUILD_ID_PLACEHOLDER.length);
  for (const file of bundle.outputFiles) {
    const text = file.path.endsWith('app.js') ? file.text.replace(BUILD_ID_PLACEHOLDER, buildId) : file.text;
    writeFileSync(file.path, file.path.endsWith('app.js') ? `${text}//# sourceMappingURL=app.js.map\n` : text);
  }

  for (const file of ['index.html', 'app.css', 'manifest.webmanifest']) copyFileSync(path.join(webDir, file), path.join(outDir, file));
  writeFileSync(path.join(outDir, 'icon-192.png'), drawIcon(192, false));
  writeFileSync(path.join(outDir, 'icon-512.png'), drawIcon(512, false));
  writeFileSync(path.join(outDir, 'icon-maskable-512.png'), drawIcon(512, true));

  const files = ['index.html', 'app.js', 'app.css', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png'];
  const shellHash = createHash('sha256');
  for (const file of files) shellHash.update(file).update(readFileSync(path.join(outDir, file)));
  const shell = files.map((f) => `/app/${f}`);
  await build({
    entryPoints: [path.join(webDir, 'src', 'sw.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: TARGETS,
    minify: true,
    define: { __SHELL_FILES__: JSON.stringify(shell), __SHELL_VERSION__: JSON.stringify(shellHash.digest('hex').slice(0, 16)) },
    outfile: path.join(outDir, 'sw.js'),
    logLevel: 'silent',
  });
  await buildDashboards(webDir, outDir);
  return { outDir, appVersion: `${version}+${buildId}`, shell };
}

/**
 * Builds each dashboard found at web/dashboards/<name>/: its main.tsx bundled to
 * web/dist/<name>/app.js, and its other files (index.html, CSS) copied beside it. Dashboards work
 * online and have no service worker.
 */
async function buildDashboards(webDir: string, outDir: string): Promise<void> {
  for (const name of DASHBOARDS) {
    const source = path.join(webDir, 'dashboards', name);
    if (!existsSync(path.join(source, 'main.tsx'))) continue;
    const target = path.join(outDir, name);
    mkdirSync(target, { recursive: true });
    await build({
      ...PAGE_BUNDLE,
      entryPoints: [path.join(source, 'main.tsx')],
      // The console's questionnaire preview and the respondent page walk questionnaires too: the same prebuilt validators.
      plugins: [formValidatorsPlugin(() => loadFormCatalogue(surveyFormsDir()).list().map((f) => f.definition))],
      outfile: path.join(target, 'app.js'),
    });
    for (const file of readdirSync(source)) {
      if (!/\.(tsx?|md)$/.test(file)) copyFileSync(path.join(source, file), path.join(target, file));
    }
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * The app icon, drawn here so the repository holds no binary: a questionnaire sheet with a tick on
 * the survey's teal. `maskable` fills the square and keeps the drawing in the safe centre.
 */
export function drawIcon(size: number, maskable: boolean): Buffer {
  const teal = [0x0b, 0x5d, 0x5e];
  const scale = maskable ? 0.8 : 1;
  const distanceToSegment = (px: number, py: number, ax: number, ay: number, bx: number, by: number): number => {
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
  };
  const inRoundedRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean => {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return Math.hypot(x - cx, y - cy) <= r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
  };
  // Colour of a point in the unit square: [r, g, b, alpha].
  const colour = (u: number, v: number): number[] => {
    if (!maskable && !inRoundedRect(u, v, 0, 0, 1, 1, 0.18)) return [0, 0, 0, 0];
    const x = (u - 0.5) / scale + 0.5;
    const y = (v - 0.5) / scale + 0.5;
    if (!inRoundedRect(x, y, 0.27, 0.18, 0.73, 0.82, 0.05)) return [...teal, 255];
    const tick = Math.min(distanceToSegment(x, y, 0.36, 0.52, 0.46, 0.63), distanceToSegment(x, y, 0.46, 0.63, 0.65, 0.39));
    if (tick < 0.045) return [...teal, 255];
    const line = [0.28, 0.72].some((ly) => Math.abs(y - ly) < 0.012 && x > 0.35 && x < 0.65);
    return line ? [0x9f, 0xc4, 0xc4, 255] : [255, 255, 255, 255];
  };
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const samples = [0.25, 0.75];
  for (let py = 0; py < size; py += 1) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0, 0];
      for (const sy of samples) {
        for (const sx of samples) {
          const c = colour((px + sx) / size, (py + sy) / size);
          for (let i = 0; i < 4; i += 1) sum[i] = (sum[i] as number) + (c[i] as number);
        }
      }
      const offset = py * (size * 4 + 1) + 1 + px * 4;
      for (let i = 0; i < 4; i += 1) raw[offset + i] = Math.round((sum[i] as number) / 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  buildWebApp().then(
    (result) => console.log(`enumerator app ${result.appVersion} built into ${path.relative(process.cwd(), result.outDir) || '.'}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
