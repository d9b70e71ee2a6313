/**
 * Which recorded evidence meets which requirement. Evidence may arrive before the requirement it
 * meets (a contact recorded before the hospital release reaches us), so contacts and unmatched
 * documents are remembered for a while and tried against every requirement that opens.
 */
import { localDateOf, ruleOf, startOfLocalDay } from '../rules/index.ts';
import { ALL_PATCHES, type EpisodePatches } from './patches.ts';
import { meet } from './requirements.ts';
import { type CompletedDocument, type Contact, type EpisodeState, isPending, type Requirement } from './state.ts';

/** How long a contact or an unmatched document is kept as possible evidence. */
const EVIDENCE_MEMORY_MS = 60 * 86_400_000;
const MAX_REMEMBERED_DOCUMENTS = 100;

function openedOn(state: EpisodeState, requirement: Requirement): string {
  return localDateOf(requirement.opensAt, state.config.policy.timeZone);
}

/** A contact meets a requirement whose rule takes contacts: of a kind it names, from the day it opens (and by its due date when the rule says so). */
export function contactMeets(state: EpisodeState, requirement: Requirement, contact: Contact): boolean {
  const wanted = ruleOf(requirement.code)?.evidence.contact;
  if (!wanted || contact.date < openedOn(state, requirement)) return false;
  if (wanted.kinds && !wanted.kinds.includes(contact.kind)) return false;
  return !wanted.byDueDate || contact.date <= requirement.dueDate;
}

/**
 * A completed QuestionnaireResponse meets the requirements that share its Questionnaire (a Quarterly
 * Review also meets that quarter's CIP review), in the cycle it names or else the open one.
 */
export function documentMeets(state: EpisodeState, requirement: Requirement, document: CompletedDocument): boolean {
  const questionnaire = ruleOf(document.requirement)?.evidence.questionnaire;
  if (!questionnaire || questionnaire !== ruleOf(requirement.code)?.evidence.questionnaire) return false;
  if (document.cycle !== undefined) return document.cycle === requirement.cycle;
  return document.completedAt >= requirement.opensAt;
}

/** A contact counts from the start of its local day: on time when on or before the due date. */
function contactInstant(state: EpisodeState, contact: Contact): number {
  return startOfLocalDay(contact.date, state.config.policy.timeZone);
}

export function applyContactEvidence(state: EpisodeState, contact: Contact, now: number): void {
  for (const requirement of Object.values(state.requirements)) {
    if (isPending(requirement) && requirement.stage !== 'scheduled' && contactMeets(state, requirement, contact)) {
      meet(state, requirement, `Encounter/${contact.encounterId}`, contactInstant(state, contact), now);
    }
  }
}

/** Meets the earliest open requirement of each code the document meets; remembers it when none is open yet. */
export function applyDocumentEvidence(state: EpisodeState, document: CompletedDocument, now: number): void {
  const candidates = Object.values(state.requirements)
    .filter((requirement) => isPending(requirement) && requirement.stage !== 'scheduled' && documentMeets(state, requirement, document))
    .sort((a, b) => a.dueAt - b.dueAt);
  const earliestPerCode = candidates.filter((requirement, index) => candidates.findIndex((other) => other.code === requirement.code) === index);
  for (const target of earliestPerCode) {
    meet(state, target, `QuestionnaireResponse/${document.questionnaireResponseId}`, document.completedAt, now);
  }
  if (earliestPerCode.length === 0) state.documents = [...state.documents, document].slice(-MAX_REMEMBERED_DOCUMENTS);
}

/** Tries remembered evidence against requirements that have just opened. */
export function applyRememberedEvidence(state: EpisodeState, now: number, patches: EpisodePatches = ALL_PATCHES): void {
  const opened = () => Object.values(state.requirements).filter((requirement) => isPending(requirement) && requirement.stage !== 'scheduled');
  for (const requirement of opened()) {
    const contact = state.contacts.find((candidate) => contactMeets(state, requirement, candidate));
    if (contact) meet(state, requirement, `Encounter/${contact.encounterId}`, contactInstant(state, contact), now);
  }
  const useful = state.documents.some((document) => opened().some((requirement) => documentMeets(state, requirement, document)));
  if (!useful) return;
  if (patches.rememberedDocumentMeetsEveryCode) {
    const remembered = state.documents;
    state.documents = [];
    // As if each arrived now: it meets the earliest open requirement of every code it is evidence for, or is remembered again.
    for (const document of remembered) applyDocumentEvidence(state, document, now);
    return;
  }
  for (const requirement of opened()) {
    const document = state.documents.find((candidate) => documentMeets(state, requirement, candidate));
    if (document) {
      meet(state, requirement, `QuestionnaireResponse/${document.questionnaireResponseId}`, document.completedAt, now);
      state.documents = state.documents.filter((candidate) => candidate !== document);
    }
  }
}

export function forgetOldEvidence(state: EpisodeState, now: number): void {
  const horizon = localDateOf(now - EVIDENCE_MEMORY_MS, state.config.policy.timeZone);
  state.contacts = state.contacts.filter((contact) => contact.date >= horizon);
  state.documents = state.documents.filter((document) => document.completedAt >= now - EVIDENCE_MEMORY_MS);
}
