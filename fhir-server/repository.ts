/**
 * Medplum's in-memory FHIR repository made durable and strict:
 * - every write is validated first (the shared validation of `fhir-profiles/`);
 * - every accepted write is in the journal, fsynced, before the call returns;
 * - a transaction reaches the journal as one commit, or not at all (on failure the memory is
 *   rebuilt from the journal, which holds exactly what was acknowledged).
 * Searching, conditional create, `If-Match`, history and sorting are Medplum's own.
 */
import { OperationOutcomeError } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions, DeleteResourceOptions } from '@medplum/fhir-router';
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { SearchRequest, WithId } from '@medplum/core';
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
    const stored = await super.createResource(resource, options, update);
    this.record({ op: 'put', resource: stored });
    return stored;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    this.assertValid(resource);
    const result = await super.conditionalCreate(resource, search, options);
    if (result.outcome.id === 'created') this.record({ op: 'put', resource: result.resource });
    return result;
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    await super.deleteResource(resourceType, id, options);
    this.record({ op: 'delete', resourceType, id });
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    await super.expungeResources(resourceType, ids);
    for (const id of ids) this.record({ op: 'expunge', resourceType, id });
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
      await this.withSeeding(async () => {
        for (const resource of this.baseResources) await super.createResource(resource, undefined, true);
        for (const entry of commits.flat()) await this.apply(entry);
      });
    } finally {
      this.replaying = false;
    }
  }

  private async apply(entry: JournalEntry): Promise<void> {
    switch (entry.op) {
      case 'put':
        await super.createResource(entry.resource, undefined, true);
        return;
      case 'delete':
        await super.deleteResource(entry.resourceType, entry.id).catch(ignoreNotFound);
        return;
      case 'expunge':
        await super.expungeResources(entry.resourceType, [entry.id]);
        return;
    }
  }
}

function ignoreNotFound(err: unknown): void {
  if (err instanceof OperationOutcomeError && err.outcome.id === 'not-found') return;
  throw err;
}
