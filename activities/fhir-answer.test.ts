import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFhirClient } from '../platform/fhir-client.ts';
import { openCipInitial } from '../domain/episode/episode-fixtures.ts';
import { expectResource } from './fhir-answer.ts';
import { findEvidence } from './find-evidence.ts';
import { writeRequirementTask } from './write-requirement-task.ts';

describe('expectResource', () => {
  test.each([
    [{ resourceType: 'Task', id: 't1' }, 'Task', undefined],
    [{ resourceType: 'Bundle', type: 'searchset' }, 'Bundle', undefined],
    [{ status: 'ok', items: [1, 2, 3] }, 'Task', "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task (got no resourceType)"],
    [{ resourceType: 'OperationOutcome', issue: [] }, 'Task', "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task (got OperationOutcome)"],
    [{ resourceType: 'Task' }, 'Task', "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task without id"],
    [{ resourceType: 'see phimarker-x below' }, 'Task', "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task (got an unknown resourceType)"],
    [undefined, 'Task', "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task (got no resourceType)"],
  ] as const)('%o as a %s', (answer, type, message) => {
    const check = () => expectResource(answer, type, 'create Task e1/CIP-INITIAL/1');
    if (message === undefined) expect(check()).toBe(answer);
    else expect(check).toThrow(expect.objectContaining({ message, type: 'FhirAnswerUnexpected', nonRetryable: false }));
  });
});

describe('a gateway that answers 200 with JSON that is no FHIR', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(JSON.stringify({ status: 'ok', items: [1, 2, 3] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
  });
  afterAll(() => server?.close());

  const requirement = openCipInitial();

  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  test('the Task write fails, retryably, saying the answer was not a Task', async () => {
    const fhir = createFhirClient({ baseUrl, auth: { kind: 'none' } });
    const failure = await failureOf(writeRequirementTask(fhir, { patient: 'Patient/p1', episodeOfCare: 'EpisodeOfCare/e1', agency: 'Organization/a1', requirement, now: Date.now() }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ message: "create Task e1/CIP-INITIAL/1: the FHIR server's answer is not a Task (got no resourceType)", nonRetryable: false });
  });

  test('the evidence search fails instead of finding nothing', async () => {
    const fhir = createFhirClient({ baseUrl, auth: { kind: 'none' } });
    const search = { patient: 'Patient/p1', items: [{ key: 'CIP-INITIAL/1', code: 'CIP-INITIAL' as const, taskIdentifier: 'e1/CIP-INITIAL/1', faceToFace: false, from: '2026-01-15T06:00:00Z', to: '2026-02-01T00:00:00Z' }] };
    expect(await failureOf(findEvidence(fhir, search))).toMatchObject({ message: "search Task for CIP-INITIAL/1: the FHIR server's answer is not a Bundle (got no resourceType)" });
  });
});
