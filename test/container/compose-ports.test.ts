/**
 * docker-compose.yml publishes nothing on every interface unless the operator says so (BIND_ADDRESS),
 * and registers exactly the search attributes the workflows use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { CARE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { expandComposeVariables, publishedHostAddress, readComposeServices } from './compose-file.ts';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

test('by default every published port binds the loopback interface only, and no service shares the host network', () => {
  const services = readComposeServices(PROJECT_ROOT);
  const published = services.flatMap((service) => service.ports.map((port) => ({ service: service.name, port, address: publishedHostAddress(expandComposeVariables(port)) })));
  expect(published.length).toBeGreaterThanOrEqual(5);
  expect(published.filter((entry) => !LOOPBACK.has(entry.address))).toEqual([]);
  expect(services.filter((service) => service.networkMode === 'host').map((service) => service.name)).toEqual([]);
});

test('an operator who sets BIND_ADDRESS publishes every port there', () => {
  const services = readComposeServices(PROJECT_ROOT);
  const addresses = services.flatMap((service) => service.ports.map((port) => publishedHostAddress(expandComposeVariables(port, { BIND_ADDRESS: '10.0.0.5' }))));
  expect(new Set(addresses)).toEqual(new Set(['10.0.0.5']));
});

test('the reader sees what an all-interfaces port looks like', () => {
  expect(publishedHostAddress('7233:7233')).toBe('0.0.0.0');
  expect(publishedHostAddress('7233')).toBe('0.0.0.0');
  expect(publishedHostAddress('0.0.0.0:7233:7233')).toBe('0.0.0.0');
  expect(publishedHostAddress(expandComposeVariables('${BIND_ADDRESS:-127.0.0.1}:8233:8080'))).toBe('127.0.0.1');
});

test('the search attributes registered are exactly those of workflows/search-attributes.ts', () => {
  const compose = readFileSync(resolve(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
  const registered = [...compose.matchAll(/\b(Care[A-Za-z]+)=(Keyword|KeywordList|Datetime|Int|Text|Double|Bool)\b/g)].map((match) => match[1]);
  expect(new Set(registered)).toEqual(new Set(CARE_SEARCH_ATTRIBUTES.map((key) => key.name)));
});
