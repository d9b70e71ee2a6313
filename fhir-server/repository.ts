/**
 * Medplum's in-memory FHIR repository made durable and strict:
 * - every write is validated first (the shared validation of `fhir-profiles/`);
 * - every accepted write is in the journal, fsynced, before the call returns;
 * - a transaction reaches the journal as one commit, or not at all (on failure the memory is
 *   rebuilt from the journal, which holds exactly what was acknowledged).
 * Searching, conditional create, `If-Match`, history and sorting are Medplum's own, except that a
 * search by identifier alone reads its candidates from an index (identifier-index.ts), and that
 * several sort keys rank in the order given (`_sort=_lastUpdated,_id`: by time, ties by id).
 */
import { allOk, badRequest, created, matchesSearchRequest, multipleMatches, OperationOutcomeError } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, DeleteResourceOptions } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { SearchRequest, WithId } from '@medplum/core';
import { IdentifierIndex, identifierValuesSearched } from './identifier-index.ts';
import { Journal } from './journal.ts';
import type { JournalEntry } from './journal.ts';

export type ResourceValidator = (resource: Resource) => OperationOutcomeIssue[];

export class JournaledRepository extends MemoryRepository {
  private readonly journal: Journal;
  private readonly validate: ResourceValidator;
  private readonly baseResources: readonly Resource[];
  /** Entries of the transaction under way, committed together at its end. */
  private transactionEntries: JournalEntry[] | undefined;
  private replaying = false;
  private readonly identifiers = new IdentifierIndex();

  private constructor(journal: Journal, validate: ResourceValidator, baseResources: readonly Resource[]) {
    super();
    this.journal = journal;
    this.validate = validate;
    this.baseResources = baseResources;
  }

  /**
   * Opens the journal at `path` and replays it over `baseResources` (conformance resources loaded
   * at every start, not journaled). Returns the journal's warnings for the operator.
   */
  static async open(
    path: string,
    options: { validate: ResourceValidator; baseResources?: readonly Resource[] },
  ): Promise<{ repo: JournaledRepository; warnings: string[] }> {
    const { journal, replay } = Journal.open(path);
    const repo = new JournaledRepository(journal, options.validate, options.baseResources ?? []);
    await repo.load(replay.commits);
    return { repo, warnings: replay.warnings };
  }

  close(): void {
    this.journal.close();
  }

  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update = false,
  ): Promise<WithId<T>> {
    this.assertValid(resource);
    const stored = await this.store(resource, options, update);
    this.record({ op: 'put', resource: stored });
    return stored;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    this.assertValid(resource);
    const matches = await this.byIdentifier({ ...search, count: 2, sortRules: undefined });
    if (!matches) {
      const result = await super.conditionalCreate(resource, search, options);
      if (result.outcome.id === 'created') this.record({ op: 'put', resource: result.resource });
      return result;
    }
    if (matches.length > 1) throw new OperationOutcomeError(multipleMatches);
    const [match] = matches;
    if (match) {
      if (!options?.assignedId && resource.id && resource.id !== match.id) {
        throw new OperationOutcomeError(badRequest('Resource ID did not match resolved ID', `${resource.resourceType}.id`));
      }
      return { resource: match, outcome: allOk };
    }
    const stored = await this.store(resource, options);
    this.record({ op: 'put', resource: stored });
    return { resource: stored, outcome: created };
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

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    const previous = await this.current(resourceType, id);
    await super.deleteResource(resourceType, id, options);
    if (previous) this.identifiers.remove(previous);
    this.record({ op: 'delete', resourceType, id });
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    const previous = await Promise.all(ids.map((id) => this.current(resourceType, id)));
    await super.expungeResources(resourceType, ids);
    for (const resource of previous) if (resource) this.identifiers.remove(resource);
    for (const id of ids) this.record({ op: 'expunge', resourceType, id });
  }

  /** Every write of a resource version goes through here, so the identifier index follows it. */
  private async store<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    const previous = resource.id ? await this.current(resource.resourceType, resource.id) : undefined;
    const stored = await super.createResource(resource, options, update);
    this.identifiers.put(stored, previous);
    return stored;
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

  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.transactionEntries) return callback(this);
    this.transactionEntries = [];
    try {
      const result = await callback(this);
      this.journal.commit(this.transactionEntries);
      return result;
    } catch (err) {
      this.transactionEntries = undefined;
      await this.load(Journal.open(this.journal.path).replay.commits);
      throw err;
    } finally {
      this.transactionEntries = undefined;
    }
  }

  private assertValid(resource: Resource): void {
    if (this.replaying) return;
    const issue = this.validate(resource);
    if (issue.length > 0) throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue });
  }

  private record(entry: JournalEntry): void {
    if (this.replaying) return;
    if (this.transactionEntries) this.transactionEntries.push(entry);
    else this.journal.commit([entry]);
  }

  /** Rebuilds memory from the base resources and the journal's commits, keeping ids, versions and history. */
  private async load(commits: JournalEntry[][]): Promise<void> {
    this.replaying = true;
    try {
      this.clear();
      this.identifiers.clear();
      await this.withSeeding(async () => {
        for (const resource of this.baseResources) await this.store(resource, undefined, true);
        for (const entry of commits.flat()) await this.apply(entry);
      });
    } finally {
      this.replaying = false;
    }
  }

  private async apply(entry: JournalEntry): Promise<void> {
    switch (entry.op) {
      case 'put':
        await this.store(entry.resource, undefined, true);
        return;
      case 'delete':
        await this.deleteResource(entry.resourceType, entry.id).catch(ignoreNotFound);
        return;
      case 'expunge':
        await this.expungeResources(entry.resourceType, [entry.id]);
        return;
    }
  }
}

function ignoreNotFound(err: unknown): void {
  if (err instanceof OperationOutcomeError && err.outcome.id === 'not-found') return;
  throw err;
}
