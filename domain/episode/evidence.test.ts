import { describe, expect, test } from 'vitest';
import { applyEvent } from './apply-event.ts';
import { NO_PATCHES } from './patches.ts';
import { event, type EventFields, noon, startedEpisode, written } from './episode-fixtures.ts';
import { applyDocumentEvidence, contactMeets, documentMeets, forgetOldEvidence } from './evidence.ts';
import { advance } from './schedule.ts';
import type { CompletedDocument, Contact, EpisodeState } from './state.ts';

const apply = (state: EpisodeState, fields: EventFields, now: number) => applyEvent(state, event(fields), now);

/** Admitted 2026-01-15; on 2026-04-01 the April review and its crisis plan review are open, stay h1 (admitted 03-02) released 03-20. */
function episode(): EpisodeState {
  let state = startedEpisode('2026-01-15', noon('2026-03-02'));
  state = written(apply(state, { type: 'hospital-admission', encounterId: 'h1', admittedOn: '2026-03-02' }, noon('2026-03-02')));
  state = written(apply(state, { type: 'hospital-release', encounterId: 'h1', releasedOn: '2026-03-20' }, noon('2026-03-20')));
  return written(advance(state, noon('2026-04-01')));
}

describe('which contact meets which requirement', () => {
  const state = episode();
  const contact = (kind: Contact['kind'], date: string): Contact => ({ encounterId: 'c1', kind, date });
  test.each([
    ['POST-HOSPITAL-CONTACT/h1', contact('face-to-face', '2026-03-24'), true],
    ['POST-HOSPITAL-CONTACT/h1', contact('face-to-face', '2026-03-19'), false], // before the release
    ['POST-HOSPITAL-CONTACT/h1', contact('collateral', '2026-03-24'), false],
    ['HOSPITAL-CONTACT/h1/week-1', contact('collateral', '2026-03-05'), true],
    ['HOSPITAL-CONTACT/h1/week-1', contact('collateral', '2026-03-10'), false], // after that week
    ['HOSPITAL-CONTACT/h1/week-2', contact('collateral', '2026-03-10'), true],
    ['QR/2026-04-15', contact('face-to-face', '2026-04-01'), false], // documents are met by documents
  ] as const)('%s by a %s', (key, candidate, meets) => {
    expect(contactMeets(state, state.requirements[key]!, candidate)).toBe(meets);
  });
});

describe('which completed document meets which requirement', () => {
  const state = episode();
  const doc = (requirement: CompletedDocument['requirement'], completedAt: string, cycle?: string): CompletedDocument => ({
    requirement,
    questionnaireResponseId: 'qr1',
    completedAt: Date.parse(completedAt),
    ...(cycle ? { cycle } : {}),
  });
  test.each([
    ['QR/2026-04-15', doc('QR', '2026-04-02T10:00:00-05:00'), true],
    // A Quarterly Review also holds that quarter's crisis plan review.
    ['CIP-REVIEW/2026-04-15', doc('QR', '2026-04-02T10:00:00-05:00'), true],
    ['QR/2026-04-15', doc('QR', '2026-03-01T10:00:00-06:00'), false], // before this review opened
    ['QR/2026-04-15', doc('QR', '2026-03-01T10:00:00-06:00', '2026-04-15'), true], // names its cycle
    ['QR/2026-04-15', doc('QR', '2026-04-02T10:00:00-05:00', '2026-07-15'), false],
    ['CIP-INITIAL/1', doc('CIP-ANNUAL', '2026-01-20T10:00:00-06:00'), true], // the same Questionnaire
    ['QR/2026-04-15', doc('ANNUAL-ASSESSMENT', '2026-04-02T10:00:00-05:00'), false],
  ] as const)('%s by %o', (key, document, meets) => {
    expect(documentMeets(state, state.requirements[key]!, document)).toBe(meets);
  });
});

describe('evidence that arrives before its requirement', () => {
  const remembered = () => {
    const state = startedEpisode('2026-01-15', noon('2026-01-20'));
    const now = noon('2026-03-10');
    applyDocumentEvidence(state, { requirement: 'QR', cycle: '2026-04-15', questionnaireResponseId: 'qr1', completedAt: now }, now);
    expect(state.documents).toHaveLength(1);
    return state;
  };

  test('a completed review with nothing open is remembered, and meets the review and its crisis plan review when they open', () => {
    const opened = advance(remembered(), noon('2026-03-17'));
    expect(opened.requirements['QR/2026-04-15']).toMatchObject({ stage: 'met-on-time', evidence: 'QuestionnaireResponse/qr1' });
    expect(opened.requirements['CIP-REVIEW/2026-04-15']).toMatchObject({ stage: 'met-on-time', evidence: 'QuestionnaireResponse/qr1' });
    expect(opened.documents).toEqual([]);
  });

  test('histories recorded before the fix let it meet only the first to open (the review itself stayed open)', () => {
    const opened = advance(remembered(), noon('2026-03-17'), NO_PATCHES);
    expect(opened.requirements['CIP-REVIEW/2026-04-15']).toMatchObject({ stage: 'met-on-time' });
    expect(opened.requirements['QR/2026-04-15']).toMatchObject({ stage: 'open' });
  });

  test('a face-to-face contact recorded before the release reaches us meets the post-hospital contact', () => {
    let state = startedEpisode('2026-01-15', noon('2026-03-20'));
    state = apply(state, { type: 'contact-recorded', encounterId: 'f1', kind: 'face-to-face', date: '2026-03-23' }, noon('2026-03-23'));
    state = apply(state, { type: 'hospital-release', encounterId: 'h1', releasedOn: '2026-03-20' }, noon('2026-03-23'));
    expect(state.requirements['POST-HOSPITAL-CONTACT/h1']).toMatchObject({ stage: 'met-on-time', evidence: 'Encounter/f1' });
  });

  test('is forgotten after 60 days', () => {
    const state = startedEpisode('2026-01-15', noon('2026-01-20'));
    state.contacts = [{ encounterId: 'old', kind: 'face-to-face', date: '2026-01-01' }, { encounterId: 'recent', kind: 'face-to-face', date: '2026-02-01' }];
    state.documents = [{ requirement: 'QR', questionnaireResponseId: 'qr-old', completedAt: noon('2026-01-01') }];
    forgetOldEvidence(state, noon('2026-03-15'));
    expect(state.contacts.map((contact) => contact.encounterId)).toEqual(['recent']);
    expect(state.documents).toEqual([]);
  });
});
