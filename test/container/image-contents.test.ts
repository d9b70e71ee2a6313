/**
 * The container image holds everything its entry points load, proven without a Docker engine:
 * exactly what the Dockerfile's COPY lines copy (less `.dockerignore`) is laid out in a temporary
 * folder as the image's WORKDIR, with the production dependencies of package-lock.json (each a
 * symlink to its folder in the project's node_modules: a package's own dependencies therefore
 * resolve from there, but our code sees no dev-only package). Then each entry point the
 * Dockerfile's CMD and the compose file's `command:`s name runs there with the project's Node 24
 * and a configuration error (FHIR_BASE_URL), so that it exits 78 right after its whole static
 * module graph has loaded (ES modules evaluate every import before the entry's body). The workflow
 * bundle, which worker.ts builds at start-up in a child process (bundle-workflows.ts), is built
 * there in full, and every file the code locates with `new URL(…, import.meta.url)` must exist.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readComposeServices } from './compose-file.ts';
import { isDockerIgnored, readDockerfile, readDockerignore } from './dockerfile.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const CONFIG_ERROR_EXIT = 78;

/** The temporary folder the image is laid out in (its WORKDIR below it). */
let root: string;
let image: string;

/** The image's WORKDIR as the COPY lines fill it. */
function layOutImage(folder: string): string {
  const recipe = readDockerfile(PROJECT_ROOT);
  const ignored = readDockerignore(PROJECT_ROOT);
  const workdir = join(folder, recipe.workdir);
  mkdirSync(workdir, { recursive: true });
  for (const copy of recipe.copies) {
    const intoFolder = copy.destination.endsWith('/') || copy.sources.length > 1;
    for (const source of copy.sources) {
      const from = join(PROJECT_ROOT, source);
      const to = resolve(workdir, intoFolder ? join(copy.destination, source.split('/').at(-1) as string) : copy.destination);
      cpSync(from, to, { recursive: true, filter: (path) => !isDockerIgnored(ignored, PROJECT_ROOT, path) });
    }
  }
  return workdir;
}

/** What `npm ci --omit=dev` installs: every package of the lock not marked dev (and present for this platform). */
function linkProductionDependencies(workdir: string): number {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
  let linked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    // Top-level packages only: nested node_modules come with their parent's folder.
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || entry.dev) continue;
    const real = join(PROJECT_ROOT, path);
    if (!existsSync(real)) {
      if (entry.optional) continue; // another platform's build
      throw new Error(`${path} is a production dependency missing from node_modules`);
    }
    mkdirSync(dirname(join(workdir, path)), { recursive: true });
    symlinkSync(real, join(workdir, path), 'dir');
    linked++;
  }
  return linked;
}

/** The scripts the image runs with `node`: the Dockerfile's CMD and the `command:` of each service built from this repository. */
function entryPoints(): { service: string; script: string }[] {
  const scriptOf = (command: string[]): string => {
    if (command[0] !== 'node' || !command[1]) throw new Error(`not a node command: ${JSON.stringify(command)}`);
    return command[1];
  };
  const fromCmd = { service: 'Dockerfile CMD', script: scriptOf(readDockerfile(PROJECT_ROOT).cmd) };
  const fromCompose = readComposeServices(PROJECT_ROOT)
    .filter((service) => service.build)
    .map((service) => ({ service: service.name, script: service.command ? scriptOf(service.command) : fromCmd.script }));
  return [fromCmd, ...fromCompose];
}

async function runInImage(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script], {
      cwd: image,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', TZ: 'UTC', ...env },
      maxBuffer: 256 * 2 ** 20,
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'care-image-'));
  image = layOutImage(root);
  expect(linkProductionDependencies(image)).toBeGreaterThan(50);
});

afterAll(() => {
  if (root?.includes('care-image-')) rmSync(root, { recursive: true, force: true });
});

test('the image is run by the project Node 24 and holds no dev-only package', () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(existsSync(join(image, 'node_modules/@temporalio/worker'))).toBe(true);
  for (const devOnly of ['vitest', 'typescript', 'eslint']) expect(existsSync(join(image, 'node_modules', devOnly)), devOnly).toBe(false);
});

test('every entry point of the Dockerfile and the compose file loads its whole module graph from the image', async () => {
  const points = entryPoints();
  const results = await Promise.all(
    [...new Set(points.map((point) => point.script))].map(async (script) => ({ script, ...(await runInImage(script, { FHIR_BASE_URL: 'not-a-url' })) })),
  );
  const failures = results
    .filter((result) => result.code !== CONFIG_ERROR_EXIT || !/configuration error: FHIR_BASE_URL/.test(result.stderr))
    .map((result) => `${result.script}: exit ${result.code}\n${result.stderr.split('\n').slice(0, 6).join('\n')}`);
  expect(failures).toEqual([]);
  for (const result of results) expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
  expect(points.map((point) => point.script)).toEqual(expect.arrayContaining(['worker/main.ts', 'intake/main.ts', 'worker/codec-server-main.ts', 'intake/setup-subscriptions.ts']));
}, 120_000);

test('the workflow bundle the worker builds at start-up builds from the image', async () => {
  const bundled = await runInImage('worker/bundle-workflows.ts', {});
  expect(bundled.stderr).not.toMatch(/Module not found|ERR_MODULE_NOT_FOUND/);
  expect(bundled.code).toBe(0);
  expect(bundled.stdout).toContain('clientEpisode');
}, 180_000);

test('every file the code locates with new URL(…, import.meta.url) is in the image', () => {
  const located: string[] = [];
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (name === 'node_modules') continue;
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/new URL\(\s*'([^']+)',\s*import\.meta\.url\s*\)/g)) located.push(resolve(dirname(path), match[1] as string));
      }
    }
  };
  visit(image);
  expect(located.length).toBeGreaterThan(0);
  expect(located.filter((path) => !existsSync(path)).map((path) => path.slice(image.length + 1))).toEqual([]);
});
