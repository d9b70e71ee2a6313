/**
 * Test support: what the `Dockerfile` puts in the image, read from the file itself: its WORKDIR,
 * its `COPY` lines (sources in the build context, destination in the image), its CMD, and the
 * `.dockerignore` patterns that keep files of the context out of every COPY.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';

export interface DockerfileCopy {
  sources: string[];
  destination: string;
}

export interface DockerImageRecipe {
  workdir: string;
  copies: DockerfileCopy[];
  cmd: string[];
}

/** Instructions one per line, continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): { keyword: string; argument: string }[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

/** `["a","b"]` (exec form) or `a b` (words). */
function words(argument: string): string[] {
  if (argument.startsWith('[')) return JSON.parse(argument) as string[];
  return argument.split(/\s+/).filter(Boolean);
}

export function readDockerfile(projectRoot: string): DockerImageRecipe {
  const recipe: DockerImageRecipe = { workdir: '/', copies: [], cmd: [] };
  for (const { keyword, argument } of instructions(readFileSync(join(projectRoot, 'Dockerfile'), 'utf8'))) {
    if (keyword === 'WORKDIR') recipe.workdir = argument;
    if (keyword === 'CMD') recipe.cmd = words(argument);
    if (keyword === 'COPY') {
      const parts = words(argument).filter((part) => !part.startsWith('--'));
      if (parts.length < 2) throw new Error(`COPY without source and destination: ${argument}`);
      recipe.copies.push({ sources: parts.slice(0, -1), destination: parts.at(-1) as string });
    }
    if (keyword === 'ADD') throw new Error('the image reader handles COPY only; ADD found');
  }
  return recipe;
}

/** `.dockerignore`'s patterns (none when there is no file). */
export function readDockerignore(projectRoot: string): string[] {
  const file = join(projectRoot, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.replace(/^\/+/, '').replace(/\/+$/, ''));
}

/**
 * Whether a path of the build context is kept out of the image: it or a folder it is in matches a
 * pattern (Docker's `**` and `*` globs; `!` exceptions are not used here and rejected).
 */
export function isDockerIgnored(patterns: string[], projectRoot: string, path: string): boolean {
  if (patterns.some((pattern) => pattern.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not handled by this reader');
  const parts = relative(projectRoot, path).split(sep);
  for (let length = 1; length <= parts.length; length++) {
    const prefix = parts.slice(0, length).join('/');
    if (patterns.some((pattern) => matchesGlob(prefix, pattern))) return true;
  }
  return false;
}
