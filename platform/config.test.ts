import { describe, expect, test } from 'vitest';
import { parseConfig } from './config.ts';

describe('configuration', () => {
  test('the defaults give the local stack', () => {
    const config = parseConfig({});
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'care-episodes' });
    expect(config.temporal.tls).toBeUndefined();
    expect(config.fhir).toEqual({ baseUrl: 'http://127.0.0.1:8103/fhir/R4', auth: { kind: 'none' } });
    expect(config.metricsBind).toBe('127.0.0.1:9464');
    expect(config.worker).toEqual({ cachedWorkflows: 200, workflowThreads: 2, concurrentWorkflowTasks: 20, concurrentActivities: 40 });
  });

  test('worker sizing comes from the environment, whole numbers in range', () => {
    expect(parseConfig({ WORKER_CACHED_WORKFLOWS: '1000', WORKER_WORKFLOW_THREADS: '4' }).worker).toMatchObject({ cachedWorkflows: 1000, workflowThreads: 4 });
    expect(() => parseConfig({ WORKER_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(/^configuration error: WORKER_CONCURRENT_WORKFLOW_TASKS: .*>=2.* \(got "1"\)$/);
    expect(() => parseConfig({ WORKER_CACHED_WORKFLOWS: 'lots' })).toThrow(/^configuration error: WORKER_CACHED_WORKFLOWS: .* \(got "lots"\)$/);
  });

  test('a bad value is one line naming the variable and what is wrong', () => {
    expect(() => parseConfig({ FHIR_BASE_URL: 'not-a-url' })).toThrow(
      /^configuration error: FHIR_BASE_URL: must be an http\(s\) URL \(got "not-a-url"\)$/,
    );
    expect(() => parseConfig({ TEMPORAL_ADDRESS: 'localhost' })).toThrow(/^configuration error: TEMPORAL_ADDRESS: must be host:port/);
  });

  test('each auth mode names what it is missing, and secrets are never echoed', () => {
    expect(() => parseConfig({ FHIR_AUTH: 'bearer' })).toThrow(/FHIR_BEARER_TOKEN: is required when FHIR_AUTH=bearer/);
    let message = '';
    try {
      parseConfig({ FHIR_AUTH: 'client-credentials', FHIR_CLIENT_SECRET: 'very-secret', TEMPORAL_API_KEY: 'also-secret', TEMPORAL_ADDRESS: 'x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'configuration error: TEMPORAL_ADDRESS: must be host:port (got "x")',
      'configuration error: FHIR_TOKEN_URL: is required when FHIR_AUTH=client-credentials',
      'configuration error: FHIR_CLIENT_ID: is required when FHIR_AUTH=client-credentials',
    ]);
    expect(message).not.toContain('secret');
  });

  test('the embedded FHIR server: bind, extra host names, token', () => {
    expect(parseConfig({}).localStack).toMatchObject({ fhirServerHost: '127.0.0.1', fhirServerPort: 8103, fhirServerHostnames: [], fhirServerToken: undefined });
    const beyond = parseConfig({ FHIR_SERVER_HOST: '0.0.0.0', FHIR_SERVER_HOSTNAMES: 'fhir.internal, [fd00::5]', FHIR_SERVER_TOKEN: 't0ken' });
    expect(beyond.localStack).toMatchObject({ fhirServerHost: '0.0.0.0', fhirServerHostnames: ['fhir.internal', '[fd00::5]'], fhirServerToken: 't0ken' });
    expect(() => parseConfig({ FHIR_SERVER_HOSTNAMES: 'http://fhir.internal:8103' })).toThrow(/^configuration error: FHIR_SERVER_HOSTNAMES: "http:\/\/fhir.internal:8103" is not a host name/);
  });

  test('Temporal Cloud: an API key turns TLS on', () => {
    const config = parseConfig({ TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key', TEMPORAL_NAMESPACE: 'my-ns.a1b2c' });
    expect(config.temporal.apiKey).toBe('key');
    expect(config.temporal.tls).toBeDefined();
  });
});
