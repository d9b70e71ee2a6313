/**
 * What a rest-hook notification says, whatever the server's dialect:
 * - plain R4 (Medplum, HAPI with payload): the changed resource is the body;
 * - plain R4 id-only: an empty body on `…/<Type>/<id>` (HAPI puts to the endpoint plus the resource's path);
 * - the Subscriptions Backport IG (R4 `Parameters` status, or R4B `SubscriptionStatus`): a `history`
 *   Bundle whose first entry is the status: `handshake`, `heartbeat` or `event-notification`, with
 *   full resources or only `focus` references (id-only).
 * Pure: parsing and checks only; malformed input (too deeply nested included) becomes a
 * `NotificationRejected` with an OperationOutcome that names what was wrong, never the values sent.
 */
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Parameters, ParametersParameter, Resource } from '@medplum/fhirtypes';
import { validateFhirResource } from '../fhir-profiles/validation.ts';
import { isWatchedType, type WatchedType } from '../domain/fhir/change-mapping.ts';
import { MAX_JSON_NESTING, nestsDeeperThan } from './json-nesting.ts';
import { relativeReference, versionKeyOf } from '../domain/fhir/references.ts';
import { FHIR_ID_PATTERN } from '../domain/fhir/ids.ts';
import { CARE_SUBSCRIPTION_TOPIC } from '../domain/fhir/subscription-topic.ts';
import { shapeProblems } from './watched-resource-shape.ts';

/** A changed resource as sent, or only its reference (id-only: the intake reads it). */
export type NotifiedChange = { resource: Resource } | { reference: string };

export type Notification =
  | { kind: 'handshake' | 'heartbeat'; subscription?: string }
  | { kind: 'changes'; subscription?: string; changes: NotifiedChange[] }
  /** An empty body that names no resource: something changed, poll now. */
  | { kind: 'poll-now' };

export class NotificationRejected extends Error {
  override name = 'NotificationRejected';
  readonly status: number;
  readonly outcome: OperationOutcome;
  constructor(status: number, code: OperationOutcomeIssue['code'], text: string, issues: OperationOutcomeIssue[] = []) {
    super(text);
    this.status = status;
    this.outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code, details: { text } }, ...issues.slice(0, 20)],
    };
  }
}

const invalid = (text: string, issues?: OperationOutcomeIssue[]) => new NotificationRejected(400, 'invalid', text, issues);

const MAX_CHANGES_PER_NOTIFICATION = 100;

/** `channel` is the endpoint's last segment: a watched type (R4 criteria subscription) or `topic` (Backport). */
export type Channel = WatchedType | 'topic';

export function isChannel(name: string | undefined): name is Channel {
  return name === 'topic' || isWatchedType(name);
}

export interface NotificationRequest {
  channel: Channel;
  body: Buffer;
  /** `<Type>/<id>` after the channel in the path, when the server put it there. */
  pathResource?: string;
}

export function parseNotification(request: NotificationRequest): Notification {
  const text = request.body.toString('utf8').trim();
  if (!text) {
    if (!request.pathResource) return { kind: 'poll-now' };
    return { kind: 'changes', changes: [{ reference: checkedReference(request.channel, request.pathResource) }] };
  }
  // Before the parse: validation walks the resource recursively.
  if (nestsDeeperThan(text)) throw new NotificationRejected(400, 'structure', `body nests deeper than ${MAX_JSON_NESTING} levels`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('body is not JSON');
  }
  if (!isObject(body) || typeof body.resourceType !== 'string') throw invalid('body is not a FHIR resource (no resourceType)');
  if (body.resourceType === 'Bundle') return parseBackportBundle(request.channel, body as unknown as Bundle);
  return { kind: 'changes', changes: [checkedResource(request.channel, body as unknown as Resource)] };
}

function parseBackportBundle(channel: Channel, bundle: Bundle): Notification {
  if (bundle.type !== 'history' && (bundle.type as string) !== 'subscription-notification') {
    throw invalid('Bundle is not a subscription notification (type history)');
  }
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) throw invalid('notification Bundle without entries');
  const status = statusOf(bundle.entry[0]?.resource);
  if (status.topic && status.topic !== CARE_SUBSCRIPTION_TOPIC) throw new NotificationRejected(404, 'not-found', 'notification for an unknown subscription topic');
  if (status.type === 'handshake' || status.type === 'heartbeat') return { kind: status.type, subscription: status.subscription };
  if (status.type !== 'event-notification' && status.type !== 'query-event') throw invalid(`notification type not supported: ${status.type ? 'unknown' : 'missing'}`);

  const included = new Map<string, Resource>();
  for (const entry of bundle.entry.slice(1)) {
    if (!isObject(entry)) throw invalid('notification Bundle entry is not an object');
    const resource = entry.resource as Resource | undefined;
    if (resource === undefined) continue;
    if (!isObject(resource) || typeof resource.resourceType !== 'string') throw invalid('notification Bundle entry without a resource');
    checkedResource(channel, resource);
    included.set(relativeReference(entry.fullUrl) ?? `${resource.resourceType}/${resource.id}`, resource);
  }
  const focuses = status.focuses.length ? status.focuses : [...included.keys()];
  if (focuses.length > MAX_CHANGES_PER_NOTIFICATION) throw new NotificationRejected(413, 'too-costly', 'too many events in one notification');
  const changes = focuses.map((focus): NotifiedChange => {
    const resource = included.get(focus);
    return resource ? checkedResource(channel, resource) : { reference: checkedReference(channel, focus) };
  });
  return { kind: 'changes', subscription: status.subscription, changes };
}

interface Status {
  type?: string;
  topic?: string;
  subscription?: string;
  /** `Type/id` of each notification event's focus. */
  focuses: string[];
}

/** The R4 Backport `Parameters` status, or R4B's `SubscriptionStatus`. */
function statusOf(resource: Resource | undefined): Status {
  if (!isObject(resource)) throw invalid('notification Bundle without a subscription status');
  if (resource.resourceType === 'Parameters') {
    const parameters = (resource as Parameters).parameter;
    if (!Array.isArray(parameters)) throw invalid('subscription status without parameters');
    const named = (name: string) => parameters.filter((parameter) => isObject(parameter) && parameter.name === name);
    const focuses = named('notification-event').map((event) => {
      const focus = Array.isArray(event.part) ? event.part.find((part: ParametersParameter) => isObject(part) && part.name === 'focus') : undefined;
      return focusReference(focus?.valueReference?.reference);
    });
    return {
      type: stringOr(named('type')[0]?.valueCode),
      topic: stringOr(named('topic')[0]?.valueCanonical ?? named('topic')[0]?.valueUri),
      subscription: relativeReference(named('subscription')[0]?.valueReference, 'Subscription'),
      focuses: focuses.filter((focus): focus is string => focus !== undefined),
    };
  }
  if ((resource.resourceType as string) === 'SubscriptionStatus') {
    const status = resource as unknown as {
      type?: unknown;
      topic?: unknown;
      subscription?: { reference?: string };
      notificationEvent?: { focus?: { reference?: string } }[];
    };
    const events = Array.isArray(status.notificationEvent) ? status.notificationEvent : [];
    return {
      type: stringOr(status.type),
      topic: stringOr(status.topic),
      subscription: relativeReference(status.subscription?.reference, 'Subscription'),
      focuses: events.map((event) => focusReference(isObject(event) ? event.focus?.reference : undefined)).filter((f): f is string => f !== undefined),
    };
  }
  throw invalid('first Bundle entry is not a subscription status');
}

function focusReference(reference: unknown): string | undefined {
  if (reference === undefined) return undefined;
  const relative = typeof reference === 'string' ? relativeReference(reference) : undefined;
  if (!relative) throw invalid('notification event focus is not a resource reference');
  return relative;
}

/** A resource we watch, allowed on this channel, valid R4; without a version it is read again. */
function checkedResource(channel: Channel, resource: Resource): NotifiedChange {
  checkType(channel, resource.resourceType);
  if (typeof resource.id !== 'string' || !FHIR_ID_PATTERN.test(resource.id)) throw invalid(`${resource.resourceType} without a valid id`);
  const problems = shapeProblems(resource);
  if (problems.length) {
    const issues = problems.slice(0, 20).map((path): OperationOutcomeIssue => ({ severity: 'error', code: 'structure', expression: [`${resource.resourceType}.${path}`] }));
    throw invalid(`${resource.resourceType}/${resource.id} lacks or misshapes elements the intake reads`, issues);
  }
  const issues = validateFhirResource(resource);
  if (issues.length) throw invalid(`${resource.resourceType}/${resource.id} is not a valid R4 resource`, issues);
  return versionKeyOf(resource) ? { resource } : { reference: `${resource.resourceType}/${resource.id}` };
}

function checkedReference(channel: Channel, reference: string): string {
  const relative = relativeReference(reference);
  if (!relative) throw invalid('not a resource reference (<Type>/<id>)');
  checkType(channel, relative.split('/')[0]);
  return relative;
}

function checkType(channel: Channel, type: string | undefined): void {
  if (!isWatchedType(type)) throw invalid('resourceType is not one the intake watches');
  if (channel !== 'topic' && channel !== type) throw invalid(`resourceType does not match the ${channel} subscription`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
