import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSearchRequest } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { identifierValuesSearched } from './identifier-index.ts';
import { JournaledRepository } from './repository.ts';
import { indexR4Definitions } from './server.ts';

beforeAll(indexR4Definitions);

const MRN = 'https://hospital.example/mrn';
const patient = (value: string, system = MRN): Patient => ({ resourceType: 'Patient', identifier: [{ system, value }] });
const open = async (path: string) => (await JournaledRepository.open(path, { validate: () => [] })).repo;
const ids = async (repo: JournaledRepository, query: string) =>
  ((await repo.search(parseSearchRequest<Patient>(query))).entry ?? []).map((entry) => entry.resource?.identifier?.[0]?.value).sort();

describe('searches by identifier read the index', () => {
  test('only a search by identifier alone is narrowed', () => {
    expect(identifierValuesSearched(parseSearchRequest(`Patient?identifier=${MRN}|A-1`))).toEqual(['A-1']);
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier=A-1'))).toEqual(['A-1']);
    expect(identifierValuesSearched(parseSearchRequest(`Patient?identifier=A-1,${MRN}|A-2`))).toEqual(['A-1', 'A-2']);
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier:contains=A'))).toBeUndefined();
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier=A-1&_sort=-_lastUpdated'))).toBeUndefined();
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier=A-1&gender=male'))).toEqual(['A-1']);
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier=A-1&general-practitioner:Practitioner.name=x'))).toBeUndefined();
    expect(identifierValuesSearched(parseSearchRequest('Patient?identifier=A-1&_has:Observation:subject:code=x'))).toBeUndefined();
  });

  test('the same answers as a scan, through updates, deletes and a restart on the journal', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'identifier-index-')), 'journal.ndjson');
    const repo = await open(path);
    const a = await repo.createResource(patient('A-1'));
    await repo.createResource(patient('A-1', 'https://other.example/ids'));
    const b = await repo.createResource(patient('B-1'));
    expect(await ids(repo, `Patient?identifier=${MRN}|A-1`)).toEqual(['A-1']);
    expect(await ids(repo, 'Patient?identifier=A-1')).toEqual(['A-1', 'A-1']);
    expect(await ids(repo, `Patient?identifier=${MRN}|A-1,${MRN}|B-1,${MRN}|Z-9`)).toEqual(['A-1', 'B-1']);
    await repo.updateResource({ ...b, gender: 'female' });
    expect(await ids(repo, `Patient?identifier=${MRN}|A-1,${MRN}|B-1&gender=female`)).toEqual(['B-1']);
    expect(await ids(repo, `Patient?identifier=${MRN}|a-1`)).toEqual(await ids(repo, `Patient?identifier=${MRN}|a-1&_sort=_id`));

    await repo.updateResource({ ...a, identifier: [{ system: MRN, value: 'A-2' }] });
    await repo.deleteResource('Patient', b.id);
    expect(await ids(repo, `Patient?identifier=${MRN}|A-1`)).toEqual([]);
    expect(await ids(repo, `Patient?identifier=${MRN}|A-2`)).toEqual(['A-2']);
    expect(await ids(repo, `Patient?identifier=${MRN}|B-1`)).toEqual([]);

    const again = await repo.conditionalCreate(patient('A-2'), parseSearchRequest<Patient>(`Patient?identifier=${MRN}|A-2`));
    expect(again.outcome.id).toBe('ok');
    expect(again.resource.id).toBe(a.id);
    await expect(repo.conditionalCreate(patient('A-1'), parseSearchRequest<Patient>('Patient?identifier=A-1'))).resolves.toMatchObject({ outcome: { id: 'ok' } });
    repo.close();

    const reopened = await open(path);
    expect(await ids(reopened, `Patient?identifier=${MRN}|A-2`)).toEqual(['A-2']);
    expect(await ids(reopened, `Patient?identifier=${MRN}|B-1`)).toEqual([]);
    const created = await reopened.conditionalCreate(patient('C-1'), parseSearchRequest<Patient>(`Patient?identifier=${MRN}|C-1`));
    expect(created.outcome.id).toBe('created');
    await reopened.createResource(patient('C-1'));
    await expect(reopened.conditionalCreate(patient('C-1'), parseSearchRequest<Patient>(`Patient?identifier=${MRN}|C-1`))).rejects.toThrow(/multiple/i);
    reopened.close();
  });
});
