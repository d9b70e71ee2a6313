/**
 * A light check of a SpecialistEvent as the workflow's signal delivers it (no zod in the sandbox):
 * an Error names the field path that is wrong, never its value.
 */
import { CONTACT_KINDS, type ContactKind } from '../vocabulary.ts';
import { referencePattern } from '../fhir/ids.ts';
import type { SpecialistEvent } from './events.ts';

type Fields = Record<string, unknown>;

const EPISODE = referencePattern('EpisodeOfCare');
const PRACTITIONER = referencePattern('Practitioner|PractitionerRole');
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TASK_STATUSES = ['ready', 'in-progress', 'completed', 'cancelled'] as const;

function fail(path: string, what: string): never {
  throw new Error(`specialist event: ${path}: ${what}`);
}

function text(fields: Fields, key: string, pattern?: RegExp, optional = false): string {
  const value = fields[key];
  if (value === undefined && optional) return undefined as unknown as string;
  if (typeof value !== 'string' || value.length === 0) fail(key, 'not a string');
  if (pattern && !pattern.test(value)) fail(key, 'not in the expected form');
  return value;
}

function instant(fields: Fields, key: string, optional = false): string {
  const value = text(fields, key, undefined, optional);
  if (value !== undefined && (!value.includes('T') || Number.isNaN(Date.parse(value)))) fail(key, 'not an instant');
  return value;
}

function minutes(fields: Fields, key: string): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 7 * 24 * 60) fail(key, 'not a number of minutes');
  return value;
}

function oneOf<T extends string>(fields: Fields, key: string, values: readonly T[]): T {
  const value = fields[key];
  if (!values.includes(value as T)) fail(key, `not one of ${values.join(', ')}`);
  return value as T;
}

function optional<T>(key: string, value: T | undefined): Partial<Record<string, T>> {
  return value === undefined ? {} : { [key]: value };
}

export function parseSpecialistEvent(payload: unknown): SpecialistEvent {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) fail('(event)', 'not an object');
  const fields = payload as Fields;
  const eventId = text(fields, 'eventId');
  switch (fields.type) {
    case 'episode-assigned': {
      const levelOfCare = fields.levelOfCare;
      if (!Array.isArray(levelOfCare) || levelOfCare.some((code) => typeof code !== 'string')) fail('levelOfCare', 'not a list of codes');
      return {
        type: 'episode-assigned',
        eventId,
        episodeOfCare: text(fields, 'episodeOfCare', EPISODE),
        levelOfCare: levelOfCare as string[],
        supervisor: text(fields, 'supervisor', PRACTITIONER),
        at: instant(fields, 'at'),
      };
    }
    case 'episode-released':
      return {
        type: 'episode-released',
        eventId,
        episodeOfCare: text(fields, 'episodeOfCare', EPISODE),
        reason: oneOf(fields, 'reason', ['discharged', 'reassigned'] as const),
        at: instant(fields, 'at'),
      };
    case 'contact-recorded':
      return {
        type: 'contact-recorded',
        eventId,
        encounterId: text(fields, 'encounterId', ID),
        ...optional('episodeOfCare', text(fields, 'episodeOfCare', EPISODE, true)),
        kind: oneOf<ContactKind>(fields, 'kind', CONTACT_KINDS),
        start: instant(fields, 'start'),
        minutes: minutes(fields, 'minutes'),
        travelMinutes: fields.travelMinutes === undefined ? 0 : minutes(fields, 'travelMinutes'),
        ...optional('sourceUpdatedAt', instant(fields, 'sourceUpdatedAt', true)),
      };
    case 'task-changed':
      return {
        type: 'task-changed',
        eventId,
        taskId: text(fields, 'taskId', ID),
        status: oneOf(fields, 'status', TASK_STATUSES),
        ...optional('owner', text(fields, 'owner', PRACTITIONER, true)),
        at: instant(fields, 'at'),
        ...optional('sourceUpdatedAt', instant(fields, 'sourceUpdatedAt', true)),
      };
    default:
      return fail('type', 'not a specialist event type');
  }
}
