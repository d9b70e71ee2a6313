/**
 * Test support: the parts of `docker-compose.yml` the container tests check, read line by line
 * (no YAML library is installed): for each service its `build`, `image`, `command` (flow
 * sequences, which are JSON here), `ports` (short syntax) and `network_mode`. Anything in those
 * keys in a form this reader does not know fails loudly rather than being skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ComposeService {
  name: string;
  build?: string;
  image?: string;
  command?: string[];
  /** As written, `${VAR:-default}` not yet expanded. */
  ports: string[];
  networkMode?: string;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const unquoted = (value: string): string => value.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');

export function readComposeServices(projectRoot: string): ComposeService[] {
  const lines = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.trim().startsWith('#'));
  const services: ComposeService[] = [];
  let inServices = false;
  let service: ComposeService | undefined;
  let listKey: string | undefined;
  for (const line of lines) {
    const indent = indentOf(line);
    const text = line.trim();
    if (indent === 0) {
      inServices = text === 'services:';
      service = undefined;
      continue;
    }
    if (!inServices) continue;
    if (indent === 2) {
      service = { name: text.replace(/:$/, ''), ports: [] };
      services.push(service);
      listKey = undefined;
      continue;
    }
    if (!service) continue;
    if (indent === 4) {
      const [, key = '', value = ''] = /^([A-Za-z_]+):\s*(.*)$/.exec(text) ?? [];
      listKey = value ? undefined : key;
      if (key === 'build') service.build = unquoted(value);
      if (key === 'image') service.image = unquoted(value);
      if (key === 'network_mode') service.networkMode = unquoted(value);
      if (key === 'ports' && value) throw new Error(`${service.name}: ports in flow style are not read by this test`);
      if (key === 'command' && value) {
        if (!value.startsWith('[')) throw new Error(`${service.name}: command must be an exec-form list`);
        service.command = JSON.parse(value) as string[];
      }
      continue;
    }
    if (listKey === 'ports' && indent === 6) {
      if (!text.startsWith('- ') || text.includes('target:')) throw new Error(`${service.name}: only the short port syntax is read by this test (${text})`);
      service.ports.push(unquoted(text.slice(2)));
    }
  }
  return services;
}

/** `${VAR:-default}` / `${VAR-default}` / `${VAR}` with the environment given (compose's defaults when it is empty). */
export function expandComposeVariables(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] || fallback || '');
}

/**
 * The host address a short-syntax port publishes on: `ip:host:container` names it; `host:container`
 * and `container` publish on every interface (returned as `0.0.0.0`).
 */
export function publishedHostAddress(port: string): string {
  const spec = port.replace(/\/(tcp|udp)$/, '');
  if (spec.startsWith('[')) return spec.slice(1, spec.indexOf(']'));
  const parts = spec.split(':');
  return parts.length === 3 ? (parts[0] as string) : '0.0.0.0';
}
