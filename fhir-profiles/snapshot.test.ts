import type { StructureDefinition } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { r4Lookup } from './build-package.ts';
import { element } from './definitions/structure.ts';
import { generateSnapshot } from './snapshot.ts';

const lookup = r4Lookup();
const taskProfile = (...elements: ReturnType<typeof element>[]): StructureDefinition => ({
  resourceType: 'StructureDefinition',
  url: 'https://example.org/StructureDefinition/t',
  name: 'T',
  status: 'draft',
  kind: 'resource',
  abstract: false,
  type: 'Task',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Task',
  derivation: 'constraint',
  differential: { element: elements },
});
const ids = (sd: StructureDefinition) => sd.snapshot?.element.map((e) => e.id) ?? [];
const byId = (sd: StructureDefinition, id: string) => sd.snapshot?.element.find((e) => e.id === id);

describe('generateSnapshot', () => {
  test('copies the base and applies a constraint to an element of it', () => {
    const sd = generateSnapshot(taskProfile(element('Task.owner', { min: 1 })), lookup);
    expect(ids(sd)).toEqual(lookup('Task').snapshot?.element.map((e) => e.id));
    expect(byId(sd, 'Task.owner')?.min).toBe(1);
    expect(byId(sd, 'Task.owner')?.max).toBe('1');
    expect(lookup('Task').snapshot?.element.find((e) => e.id === 'Task.owner')?.min).toBe(0); // base untouched
  });

  test('adds invariants to the base invariants', () => {
    const base = lookup('Task').snapshot?.element[0]?.constraint?.length ?? 0;
    const sd = generateSnapshot(taskProfile(element('Task', { constraint: [{ key: 'x-1', severity: 'error', human: 'x', expression: 'true' }] })), lookup);
    expect(sd.snapshot?.element[0]?.constraint?.map((c) => c.key)).toHaveLength(base + 1);
  });

  test('unrolls a data type to constrain its child, right after the element', () => {
    const sd = generateSnapshot(taskProfile(element('Task.restriction.period.end', { min: 1 })), lookup);
    const at = ids(sd).indexOf('Task.restriction.period');
    expect(ids(sd).slice(at, at + 5)).toEqual([
      'Task.restriction.period',
      'Task.restriction.period.id',
      'Task.restriction.period.extension',
      'Task.restriction.period.start',
      'Task.restriction.period.end',
    ]);
    expect(byId(sd, 'Task.restriction.period.end')).toMatchObject({ path: 'Task.restriction.period.end', min: 1 });
  });

  test('adds a slice after the sliced element, with copies of its children', () => {
    const sd = generateSnapshot(
      taskProfile(
        element('Task.input', { slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' } }),
        element('Task.input:q', { max: '1' }),
        element('Task.input:q.type', { patternCodeableConcept: { text: 'q' } })
      ),
      lookup
    );
    const at = ids(sd).indexOf('Task.input:q');
    expect(ids(sd)[at - 1]).toBe('Task.input.value[x]');
    expect(byId(sd, 'Task.input:q')).toMatchObject({ sliceName: 'q', path: 'Task.input', max: '1' });
    expect(byId(sd, 'Task.input:q')?.slicing).toBeUndefined();
    expect(byId(sd, 'Task.input:q.type')).toMatchObject({ path: 'Task.input.type', patternCodeableConcept: { text: 'q' } });
  });

  test('rejects what it cannot place', () => {
    expect(() => generateSnapshot(taskProfile(element('Task.nothing', { min: 1 })), lookup)).toThrow('Task.nothing is not an element of Task');
    expect(() => generateSnapshot(taskProfile(element('Task.input:q')), lookup)).toThrow(/no slicing/);
    expect(() => generateSnapshot(taskProfile(element('Task.input.value[x].x')), lookup)).toThrow(/exactly one type/);
  });
});
