/**
 * A small snapshot generator: applies a profile's differential to its base's snapshot, the way
 * the IG publisher and SUSHI do for the constraints our profiles use:
 * - constraining an element of the base (cardinality, types, bindings, patterns, invariants…);
 * - constraining a child of a data type the base does not unroll (`Task.restriction.period.end`):
 *   the type's elements are unrolled under the element first;
 * - slices (`Task.identifier:requirementKey`) with their children.
 *
 * Not supported (and rejected, never silently ignored): differential elements whose parent is not
 * in the snapshot and cannot be unrolled, and elements of choice types with more than one type.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

/** Looks up the StructureDefinition of a base resource or data type by its type name. */
export type DefinitionLookup = (type: string) => StructureDefinition;

/** Returns `profile` with `snapshot` generated from `base`'s snapshot and `profile.differential`. */
export function generateSnapshot(profile: StructureDefinition, lookup: DefinitionLookup): StructureDefinition {
  const base = lookup(profile.type);
  const elements = structuredClone(base.snapshot?.element ?? []);
  if (elements.length === 0) {
    throw new Error(`Base ${profile.type} has no snapshot`);
  }
  for (const diff of profile.differential?.element ?? []) {
    applyDifferentialElement(elements, diff, lookup);
  }
  return { ...profile, snapshot: { element: elements } };
}

function applyDifferentialElement(elements: ElementDefinition[], diff: ElementDefinition, lookup: DefinitionLookup): void {
  const id = diff.id ?? diff.path;
  if (!id) {
    throw new Error('Differential element without id or path');
  }
  let target = elements.find((e) => e.id === id);
  if (!target && diff.sliceName) {
    target = addSlice(elements, id, diff.sliceName);
  }
  if (!target) {
    target = unrollParentOf(elements, id, lookup);
  }
  mergeInto(target, diff);
}

/** Adds slice `name` of the element `id` minus `:name`, with copies of that element's children. */
function addSlice(elements: ElementDefinition[], id: string, name: string): ElementDefinition {
  const slicedId = id.slice(0, id.length - name.length - 1);
  const slicedIndex = elements.findIndex((e) => e.id === slicedId);
  const sliced = elements[slicedIndex];
  if (!sliced) {
    throw new Error(`Slice ${id}: no element ${slicedId} to slice`);
  }
  if (!sliced.slicing) {
    throw new Error(`Slice ${id}: ${slicedId} has no slicing; define the slicing before the slices`);
  }
  const children = elements.filter((e) => e.id?.startsWith(`${slicedId}.`) && !e.id.includes(':'));
  const { slicing: _slicing, ...unsliced } = structuredClone(sliced);
  const slice: ElementDefinition = { ...unsliced, id, sliceName: name };
  const copies = children.map((child) => ({
    ...structuredClone(child),
    id: `${id}${(child.id as string).slice(slicedId.length)}`,
  }));
  const insertAt = lastIndexUnder(elements, slicedId, slicedIndex) + 1;
  elements.splice(insertAt, 0, slice, ...copies);
  return slice;
}

/** Unrolls the data type of `id`'s parent element into the snapshot and returns the element `id`. */
function unrollParentOf(elements: ElementDefinition[], id: string, lookup: DefinitionLookup): ElementDefinition {
  const dot = id.lastIndexOf('.');
  const parentId = id.slice(0, dot);
  const parentIndex = elements.findIndex((e) => e.id === parentId);
  const parent = elements[parentIndex];
  if (!parent) {
    // The parent is itself a child of a data type: unroll from the top down.
    if (dot <= 0) {
      throw new Error(`Differential element ${id} is not in the base`);
    }
    unrollParentOf(elements, parentId, lookup);
    return unrollParentOf(elements, id, lookup);
  }
  const types = parent.type ?? [];
  if (types.length === 0) {
    throw new Error(`Differential element ${id} is not an element of ${parentId}`);
  }
  if (types.length !== 1 || !types[0]?.code) {
    throw new Error(`Cannot unroll ${parentId}: it must have exactly one type`);
  }
  const typeName = types[0].code;
  const typeElements = lookup(typeName).snapshot?.element ?? [];
  if (elements.some((e) => e.id?.startsWith(`${parentId}.`))) {
    throw new Error(`Differential element ${id} is not an element of ${parentId} (${typeName})`);
  }
  const parentPath = parent.path as string;
  const unrolled = typeElements.slice(1).map((e) => ({
    ...structuredClone(e),
    id: `${parentId}${(e.id as string).slice(typeName.length)}`,
    path: `${parentPath}${(e.path as string).slice(typeName.length)}`,
  }));
  elements.splice(parentIndex + 1, 0, ...unrolled);
  const target = unrolled.find((e) => e.id === id);
  if (!target) {
    throw new Error(`Differential element ${id} is not an element of ${typeName}`);
  }
  return target;
}

function lastIndexUnder(elements: ElementDefinition[], id: string, from: number): number {
  let last = from;
  for (let i = from + 1; i < elements.length; i++) {
    const other = elements[i]?.id ?? '';
    if (other.startsWith(`${id}.`) || other.startsWith(`${id}:`)) {
      last = i;
    } else {
      break;
    }
  }
  return last;
}

/** Differential properties replace the snapshot's, except invariants, which add to the base's. */
function mergeInto(target: ElementDefinition, diff: ElementDefinition): void {
  for (const [key, value] of Object.entries(diff) as [keyof ElementDefinition, unknown][]) {
    if (key === 'id' || key === 'path') {
      continue;
    }
    if (key === 'constraint') {
      target.constraint = [...(target.constraint ?? []), ...(value as ElementDefinition['constraint'] & object)];
    } else {
      (target as unknown as Record<string, unknown>)[key] = structuredClone(value);
    }
  }
}
