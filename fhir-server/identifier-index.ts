/**
 * Which resources carry an identifier value, so that `identifier=[system|]value` (every conditional
 * create, every lookup of a Task by its identifier) reads a handful of candidates instead of every
 * resource of the type: the in-memory repository scans them all, which made a write at 11,000 Tasks
 * several times slower than at 1,000. Candidates only: the caller still applies the search exactly.
 */
import { Operator, type SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

const keyOf = (resourceType: string, value: string): string => `${resourceType}\u0000${value.toLowerCase()}`;

function valuesOf(resource: Resource): string[] {
  const identifier = (resource as { identifier?: unknown }).identifier;
  const identifiers = Array.isArray(identifier) ? identifier : identifier ? [identifier] : [];
  return identifiers.map((item: { value?: unknown }) => item?.value).filter((value): value is string => typeof value === 'string');
}

/**
 * The identifier values a search asks for (any of them), when the index can narrow it: an
 * `identifier` filter, other filters only on the resource's own elements (no chains, no `_has`),
 * no sorting, paging offset or includes. The caller still applies every filter to the candidates.
 */
export function identifierValuesSearched(request: SearchRequest): string[] | undefined {
  const filters = request.filters ?? [];
  const identifier = filters.find((filter) => filter.code === 'identifier' && filter.operator === Operator.EQUALS);
  if (!identifier || filters.some((filter) => !/^[a-z][\w-]*$/i.test(filter.code))) return undefined;
  const narrowable = new Set(['resourceType', 'filters', 'count']);
  if (Object.entries(request).some(([key, value]) => value !== undefined && !narrowable.has(key))) return undefined;
  if (identifier.value.includes('\\')) return undefined; // an escaped comma or bar: leave it to the scan
  const values = identifier.value.split(',').map((token) => token.slice(token.indexOf('|') + 1));
  return values.every(Boolean) ? values : undefined;
}

export class IdentifierIndex {
  private readonly ids = new Map<string, Set<string>>();

  /** Records `resource` as it now is; `previous` is the version it replaces, if any. */
  put(resource: Resource & { id: string }, previous?: Resource): void {
    if (previous) this.remove(previous as Resource & { id: string });
    for (const value of valuesOf(resource)) {
      const key = keyOf(resource.resourceType, value);
      let ids = this.ids.get(key);
      if (!ids) this.ids.set(key, (ids = new Set()));
      ids.add(resource.id);
    }
  }

  remove(resource: Resource & { id: string }): void {
    for (const value of valuesOf(resource)) this.ids.get(keyOf(resource.resourceType, value))?.delete(resource.id);
  }

  clear(): void {
    this.ids.clear();
  }

  /** Ids of the resources of `resourceType` that may carry one of `values` (compared without case). */
  candidates(resourceType: string, values: string[]): string[] {
    return [...new Set(values.flatMap((value) => [...(this.ids.get(keyOf(resourceType, value)) ?? [])]))];
  }
}
