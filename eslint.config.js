import { dirname, relative, resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/**
 * Which top-level folders each folder's code may import (besides npm packages). Processes wire the
 * layers below them; activities do the I/O of the domain's decisions (and start or signal
 * workflows); workflows hold state and timers over the pure domain; the domain and the platform
 * import nothing of ours but themselves. Tests and benchmarks wire anything.
 */
const MAY_IMPORT = {
  domain: ['domain'],
  platform: ['platform'],
  workflows: ['workflows', 'domain'],
  activities: ['activities', 'workflows', 'domain', 'platform'],
  'fhir-profiles': ['fhir-profiles', 'domain'],
  worker: ['worker', 'activities', 'workflows', 'domain', 'platform'],
  intake: ['intake', 'activities', 'workflows', 'domain', 'platform', 'fhir-profiles'],
  'fhir-server': ['fhir-server', 'domain', 'platform', 'fhir-profiles'],
  'local-stack': ['local-stack', 'worker', 'intake', 'fhir-server', 'activities', 'workflows', 'domain', 'platform', 'fhir-profiles'],
};

const topFolder = (path) => relative(ROOT, path).split(/[\\/]/)[0];

const importDirection = {
  meta: { type: 'problem', schema: [], messages: { wrongWay: '{{from}}/ may not import {{to}}/ ({{specifier}}): {{from}}/ imports only {{allowed}}.' } },
  create(context) {
    const from = topFolder(context.filename);
    const allowed = MAY_IMPORT[from];
    if (!allowed) return {};
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = topFolder(resolve(dirname(context.filename), source.value));
      if (!allowed.includes(to)) {
        context.report({ node: source, messageId: 'wrongWay', data: { from, to, specifier: source.value, allowed: allowed.map((folder) => `${folder}/`).join(', ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'fhir-profiles/package/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { layers: { rules: { 'import-direction': importDirection } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['{domain,platform,workflows,activities,fhir-profiles,worker,intake,fhir-server,local-stack}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'layers/import-direction': 'error' },
  },
  {
    // The domain is pure: no I/O, no clock of its own, safe inside the workflow sandbox.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '@medplum/core', '@temporalio/*'] }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }],
      'no-restricted-imports': ['error', { patterns: ['node:*', '@medplum/core', '@temporalio/client', '@temporalio/activity'] }],
    },
  },
);
