/**
 * Medplum's in-memory FHIR repository made durable and strict:
 * - every write is validated first (the shared validation of `fhir-profiles/`);
 * - write-ahead: a write outside a transaction gets its id, versionId and lastUpdated here, is
 *   journaled and fsynced, and only then stored in memory, so nothing is visible or acknowledged
 *   before it is on disk; a storage error leaves memory as it was (StorageUnavailableError, a 503);
 * - a transaction is one commit. It must see its own writes, so they go to memory as it runs, each
 *   resource's previous state remembered; the commit is journaled at its end, and if the
 *   transaction or its commit fails every resource it touched is put back exactly as it was. This
 *   relies on one request being served at a time (http.ts queues them): no other request can read
 *   a transaction's writes before its commit is on disk;
 * - the journal is compacted into a snapshot of every resource with all its versions.
 * Searching, conditional create, `If-Match`, history and sorting are Medplum's own, except that a
 * search by identifier alone reads its candidates from an index (identifier-index.ts), that
 * several sort keys rank in the order given (`_sort=_lastUpdated,_id`: by time, ties by id), and
 * that history is read without reordering the stored versions (Medplum's reverses them in place).
 */
import {
  allOk,
  badRequest,
  created,
  deepClone,
  generateId,
  multipleMatches,
  matchesSearchRequest,
  notFound,
  OperationOutcomeError,
  preconditionFailed,
  stringify,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, DeleteResourceOptions } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { SearchRequest, WithId } from '@medplum/core';
import { IdentifierIndex, identifierValuesSearched } from './identifier-index.ts';
import { Journal } from './journal.ts';
import type { JournalEntry, JournalOptions } from './journal.ts';
import { memoryStoreOf, restoreResource, storedResource } from './memory-store.ts';
import type { MemoryStore, StoredResource } from './memory-store.ts';
import { errnoCode } from './storage-unavailable.ts';

export type ResourceValidator = (resource: Resource) => OperationOutcomeIssue[];

export interface JournaledRepositoryOptions extends JournalOptions {
  validate: ResourceValidator;
  /** Conformance resources loaded at every start, not journaled. */
  baseResources?: readonly Resource[];
  /** Problems while running (a failed compaction), for the operator; ids and errno codes only. */
  onWarning?: (message: string) => void;
}

interface Transaction {
  entries: JournalEntry[];
  /** Each resource the transaction touched, as it was before, by `type/id`. */
  before: Map<string, { resourceType: string; id: string; stored: StoredResource }>;
}

export class JournaledRepository extends MemoryRepository {
  private journal!: Journal;
  private readonly store: MemoryStore;
  private readonly validate: ResourceValidator;
  private readonly onWarning: (message: string) => void;
  /** The stored versions of the base resources, which the snapshot leaves out (they are loaded at every start). */
  private readonly baseVersions = new Set<Resource>();
  private transaction: Transaction | undefined;
  private readonly identifiers = new IdentifierIndex();

  private constructor(options: JournaledRepositoryOptions) {
    super();
    this.store = memoryStoreOf(this);
    this.validate = options.validate;
    this.onWarning = options.onWarning ?? console.warn;
  }

  /**
   * Loads `baseResources`, then the snapshot and journal at `path` over them (every id, version
   * and history kept). Returns the journal's warnings for the operator.
   */
  static async open(path: string, options: JournaledRepositoryOptions): Promise<{ repo: JournaledRepository; warnings: string[] }> {
    const repo = new JournaledRepository(options);
    for (const resource of options.baseResources ?? []) {
      const stored = await repo.storeVersion(resource);
      repo.baseVersions.add(repo.store.resources.get(stored.resourceType)?.get(stored.id) as Resource);
    }
    const { journal, warnings } = await Journal.open(path, options, async (entries) => {
      for (const entry of entries) await repo.apply(entry);
    });
    repo.journal = journal;
    repo.compactIfDue();
    return { repo, warnings };
  }

  close(): void {
    this.journal.close();
  }

  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    this.assertValid(resource);
    return this.put(resource, update);
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    if (search.resourceType !== resource.resourceType) {
      throw new OperationOutcomeError(badRequest('Search type must match resource type for conditional update'));
    }
    this.assertValid(resource);
    const matches = await this.searchResources({ ...search, count: 2, sortRules: undefined });
    if (matches.length > 1) throw new OperationOutcomeError(multipleMatches);
    const [match] = matches;
    if (match) {
      if (!options?.assignedId && resource.id && resource.id !== match.id) {
        throw new OperationOutcomeError(badRequest('Resource ID did not match resolved ID', `${resource.resourceType}.id`));
      }
      return { resource: match, outcome: allOk };
    }
    return { resource: await this.put(resource, false), outcome: created };
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const matches = await this.byIdentifier(request);
    // Medplum's in-memory search applies one stable sort per key, in turn, so the last key ranks
    // first: given the keys least significant first, it ranks them as FHIR says.
    if (!matches) return super.search(request.sortRules ? { ...request, sortRules: [...request.sortRules].reverse() } : request);
    const page = request.count === undefined ? matches : matches.slice(0, request.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: page.length > 0 ? page.map((resource) => ({ search: { mode: 'match' }, resource })) : undefined,
      total: matches.length,
    };
  }

  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    await this.readResource(resourceType, id);
    const versions = this.store.history.get(resourceType)?.get(id) ?? [];
    const entry = [...versions].reverse().map((version) => ({ resource: deepClone(version) as T }));
    return { resourceType: 'Bundle', type: 'history', ...(entry.length > 0 ? { entry } : undefined) };
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    const current = this.store.resources.get(resourceType)?.get(id);
    if (!current) throw new OperationOutcomeError(notFound);
    if (options?.ifMatch && current.meta?.versionId !== options.ifMatch) throw new OperationOutcomeError(preconditionFailed);
    const entries: JournalEntry[] = [{ op: 'delete', resourceType, id }];
    await this.write(entries, () => this.applyAll(entries));
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    const entries = ids.map((id): JournalEntry => ({ op: 'expunge', resourceType, id }));
    await this.write(entries, () => this.applyAll(entries));
  }

  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.transaction) return callback(this);
    const transaction: Transaction = { entries: [], before: new Map() };
    this.transaction = transaction;
    let result: TResult;
    try {
      result = await callback(this);
      this.journal.commit(transaction.entries);
    } catch (err) {
      this.rollBack(transaction);
      throw err;
    } finally {
      this.transaction = undefined;
    }
    this.compactIfDue();
    return result;
  }

  /** A new version of `resource` (validated by the caller), journaled then stored. */
  private async put<T extends Resource>(resource: T, update: boolean): Promise<WithId<T>> {
    const version = this.nextVersion(resource, update);
    return this.write([{ op: 'put', resource: version }], () => this.storeVersion(version));
  }

  /** The version a write stores, as Medplum would make it: its id, a new versionId and lastUpdated. */
  private nextVersion<T extends Resource>(resource: T, update: boolean): WithId<T> {
    const parsed = JSON.parse(stringify(resource)) as T;
    const id = parsed.id ?? this.generateId();
    if (!update && this.store.resources.get(parsed.resourceType)?.has(id)) {
      throw new OperationOutcomeError(badRequest('Assigned ID is already in use'));
    }
    return { ...parsed, id, meta: { ...parsed.meta, versionId: generateId(), lastUpdated: new Date().toISOString() } } as WithId<T>;
  }

  /**
   * Outside a transaction: `entries` on disk first, then `apply` to memory. Inside one: `apply`
   * now, remembering what each touched resource was, and `entries` kept for its commit.
   */
  private async write<R>(entries: JournalEntry[], apply: () => Promise<R>): Promise<R> {
    const transaction = this.transaction;
    if (transaction) {
      for (const entry of entries) {
        const [resourceType, id] = entry.op === 'put' ? [entry.resource.resourceType, entry.resource.id as string] : [entry.resourceType, entry.id];
        const key = `${resourceType}/${id}`;
        if (!transaction.before.has(key)) transaction.before.set(key, { resourceType, id, stored: storedResource(this.store, resourceType, id) });
      }
      transaction.entries.push(...entries);
      return apply();
    }
    this.journal.commit(entries);
    const result = await apply();
    this.compactIfDue();
    return result;
  }

  private rollBack(transaction: Transaction): void {
    for (const { resourceType, id, stored } of transaction.before.values()) {
      const current = this.store.resources.get(resourceType)?.get(id);
      if (current) this.identifiers.remove(current as WithId<Resource>);
      restoreResource(this.store, resourceType, id, stored);
      if (stored.current) this.identifiers.put(stored.current as WithId<Resource>);
    }
  }

  /** Stores a version as given (its meta kept), keeping the identifier index in step. */
  private async storeVersion<T extends Resource>(version: T): Promise<WithId<T>> {
    const previous = version.id ? this.store.resources.get(version.resourceType)?.get(version.id) : undefined;
    const stored = await this.withSeeding(() => super.createResource(version, undefined, true));
    this.identifiers.put(stored, previous);
    return stored;
  }

  private async applyAll(entries: readonly JournalEntry[]): Promise<void> {
    for (const entry of entries) await this.apply(entry);
  }

  /** Applies a journaled entry to memory (replay, or a write already on disk). */
  private async apply(entry: JournalEntry): Promise<void> {
    if (entry.op === 'put') {
      await this.storeVersion(entry.resource);
      return;
    }
    const current = this.store.resources.get(entry.resourceType)?.get(entry.id);
    if (entry.op === 'delete') {
      if (!current) return;
      await super.deleteResource(entry.resourceType, entry.id);
    } else {
      await super.expungeResources(entry.resourceType, [entry.id]);
    }
    if (current) this.identifiers.remove(current as WithId<Resource>);
  }

  private compactIfDue(): void {
    if (!this.journal.compactionDue()) return;
    const { commits, count } = this.snapshotCommits();
    try {
      this.journal.compact(commits, count);
    } catch (err) {
      this.onWarning(`journal ${this.journal.path}: compaction failed (${errnoCode(err)}); the journal stays in use, compaction is tried again later`);
    }
  }

  /** One commit per resource that rebuilds it: each of its versions oldest first, then its deletion if it is deleted. */
  private snapshotCommits(): { commits: Iterable<JournalEntry[]>; count: number } {
    const resources: { resourceType: string; id: string; versions: Resource[]; deleted: boolean }[] = [];
    for (const [resourceType, byId] of this.store.history) {
      for (const [id, allVersions] of byId) {
        const versions = allVersions.filter((version) => !this.baseVersions.has(version));
        const deleted = !this.store.resources.get(resourceType)?.has(id);
        if (versions.length > 0 || deleted) resources.push({ resourceType, id, versions, deleted });
      }
    }
    function* commits(): Iterable<JournalEntry[]> {
      for (const { resourceType, id, versions, deleted } of resources) {
        const puts = versions.map((resource): JournalEntry => ({ op: 'put', resource }));
        yield deleted ? [...puts, { op: 'delete', resourceType, id }] : puts;
      }
    }
    return { commits: commits(), count: resources.length };
  }

  private current(resourceType: string, id: string): Promise<WithId<Resource> | undefined> {
    return super.readResource<Resource>(resourceType, id).then(
      (resource) => resource as WithId<Resource>,
      () => undefined,
    );
  }

  /** The exact matches of a search by identifier alone, from the index's candidates; undefined for any other search. */
  private async byIdentifier<T extends Resource>(request: SearchRequest<T>): Promise<WithId<T>[] | undefined> {
    const values = identifierValuesSearched(request);
    if (values === undefined) return undefined;
    const found: WithId<T>[] = [];
    for (const id of this.identifiers.candidates(request.resourceType, values)) {
      const resource = (await this.current(request.resourceType, id)) as WithId<T> | undefined;
      if (resource && matchesSearchRequest(resource, request)) found.push(resource);
    }
    return found;
  }

  private assertValid(resource: Resource): void {
    const issue = this.validate(resource);
    if (issue.length > 0) throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue });
  }
}
