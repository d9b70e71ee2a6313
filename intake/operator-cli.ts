#!/usr/bin/env node
/**
 * `care-episodes <command>`: the operator's view of episodes, through Temporal (search attributes,
 * the `getState` query, the `recordEvent` update) and the intake's mapping; of specialists, through
 * their workflow's `getCaseload` query and `requestAssignment` update; of the documentation's
 * timeliness, through the requirement Tasks on the FHIR server (`report`). Ids, codes and dates only.
 *
 * Exit codes: 0 done, 1 refused or failed, 2 usage error, 69 Temporal or FHIR unreachable, 78 configuration.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApplicationFailure, Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import { createDataConverter, resolveCodecKeys } from '../platform/data-converter.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { episodeWorkflowId, localDateSchema } from '../domain/episode/input.ts';
import { FHIR_ID_PATTERN, referencePattern } from '../domain/fhir/ids.ts';
import { getState, recordEvent } from '../workflows/episode/messages.ts';
import type { EpisodeEventInput } from '../domain/episode/events.ts';
import { isOpen } from '../domain/episode/state.ts';
import { writeFailureLabel } from '../domain/episode/write-failure.ts';
import { EpisodeStatus, OverdueCount, SpecialistId } from '../workflows/search-attributes.ts';
import { parseAgencyPolicyFile, parseEpisodeDefaults, parseIntakeSource, withLocalStackDefaults } from './intake-config.ts';
import { deliverFhirChange, DeliveryUnavailable } from '../activities/deliver-fhir-change.ts';
import type { EpisodeDefaults } from '../domain/episode/episode-defaults.ts';
import { createProcessLog } from '../platform/logger.ts';
import { requestPollingBackfill } from './polling.ts';
import { temporalConnectionOptions } from '../platform/temporal-connection.ts';
import type { AgencyPolicy } from '../domain/rules/index.ts';
import { assignEpisode } from './assign.ts';
import { caseloadOf } from './caseload.ts';
import { caseloadJson, caseloadTable } from './caseload-view.ts';
import { monthlyTimelinessReport } from './report.ts';
import { isReportMonth } from '../domain/reporting/report-month.ts';
import { reportJson, reportTable } from './report-table.ts';
import { reportPage } from './report-page.ts';
import type { FhirRefusal } from '../domain/episode/episode-activities.ts';

const USAGE = `usage: care-episodes <command> [options]

commands:
  list [--specialist <Practitioner id>] [--overdue] [--all]   episodes (running ones unless --all)
  show <EpisodeOfCare id>                                   one episode's requirements and their stages
  admit <EpisodeOfCare id> --encounter <id> --date <YYYY-MM-DD>     record a hospital admission
  release <EpisodeOfCare id> --encounter <id> --date <YYYY-MM-DD>   record a hospital release
  discharge <EpisodeOfCare id> --date <YYYY-MM-DD>          record the program discharge
  assign <EpisodeOfCare id> --specialist <Practitioner id> [--override-by Practitioner/<id>]
                                                            give the episode to a specialist: refused past the caseload cap
                                                            unless a supervisor overrides; then EpisodeOfCare.careManager in FHIR
  caseload <Practitioner id> [--weeks N] [--json]           a specialist's caseload and cap, episodes, contact hours per week
                                                            (the last N complete weeks, default the policy's window) and average
  report --month <YYYY-MM> [--specialist <Practitioner id>] [--json] [--html FILE]
                                                            on-time documentation of the requirement Tasks due that month
                                                            (agency time zone), by rule and by specialist, and the late ones;
                                                            --json the figures as JSON, --html FILE also a page to open offline
  redeliver <Type>/<id>                                     read a resource from FHIR and deliver its events again
  backfill --since <YYYY-MM-DD>                             have the polling read the changes since that day again
                                                            (it starts no episode that ended before it)

Configuration comes from the environment (see README: TEMPORAL_*, FHIR_*, INTAKE_*).
exit codes: 0 done, 1 refused or failed, 2 usage, 69 unreachable, 78 configuration`;

class UsageError extends Error {}

const fhirId = z.string().regex(FHIR_ID_PATTERN, 'not a FHIR id');
const episodeArg = z.string().transform((value) => value.replace(/^EpisodeOfCare\//, '')).pipe(fhirId);
const stayArgs = z.strictObject({ encounter: fhirId, date: localDateSchema });
const dischargeArgs = z.strictObject({ date: localDateSchema });
const backfillArgs = z.strictObject({ since: localDateSchema });
const practitionerArg = z.string().transform((value) => value.replace(/^Practitioner\//, '')).pipe(fhirId);
const assignArgs = z.strictObject({
  specialist: practitionerArg,
  overrideBy: z.string().regex(referencePattern('Practitioner'), 'not Practitioner/<id>').optional(),
});
const caseloadArgs = z.strictObject({ weeks: z.coerce.number().int().min(1).max(52).optional() });
const reportArgs = z.strictObject({
  month: z.string().refine(isReportMonth, 'not YYYY-MM'),
  specialist: practitionerArg.optional(),
  html: z.string().min(1, 'needs a file name').optional(),
});
const resourceArg = z.string().regex(referencePattern('EpisodeOfCare|Encounter|QuestionnaireResponse|Task'), 'not <EpisodeOfCare|Encounter|QuestionnaireResponse|Task>/<id>');

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(`${what}: ${result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'value'} ${issue.message}`).join('; ')}`);
}

export interface Io {
  out: (line: string) => void;
  /** Why a command was refused (stderr). */
  err: (line: string) => void;
  /** Temporal, FHIR and the payload codec: what every command uses. */
  config: () => Config;
  /** What new episodes start with: only `redeliver`, which may start one, asks for it. */
  episodeDefaults: (base: Config) => EpisodeDefaults;
  /** The FHIR source whose polling workflow `backfill` asks (INTAKE_SOURCE). */
  pollingSource: () => string;
  /** The agency policy (AGENCY_POLICY_FILE): `caseload`'s cap when no specialist workflow runs. */
  agencyPolicy: (base: Config) => AgencyPolicy;
}

export async function runOperatorCli(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      specialist: { type: 'string' },
      overdue: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      encounter: { type: 'string' },
      date: { type: 'string' },
      since: { type: 'string' },
      'override-by': { type: 'string' },
      weeks: { type: 'string' },
      month: { type: 'string' },
      html: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target, ...extra] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const config = io.config();
  // FHIR and the agency's time zone only: no Temporal.
  if (command === 'report') return await report(target, values, config, io);
  const dataConverter = createDataConverter(resolveCodecKeys(config));
  const episodeDefaults = command === 'redeliver' ? io.episodeDefaults(config) : undefined;
  const connection = await Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: 5_000 });
  const temporal = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
  try {
    switch (command) {
      case 'list': {
        const specialist = values.specialist === undefined ? undefined : parsed(fhirId, values.specialist.replace(/^(Practitioner|PractitionerRole)\//, ''), '--specialist');
        const clauses = ["WorkflowType = 'clientEpisode'"];
        if (!values.all) clauses.push("ExecutionStatus = 'Running'");
        if (specialist) clauses.push(`${SpecialistId.name} = '${specialist}'`);
        if (values.overdue) clauses.push(`${OverdueCount.name} > 0`);
        let count = 0;
        for await (const workflow of temporal.workflow.list({ query: clauses.join(' AND ') })) {
          const attributes = workflow.typedSearchAttributes;
          io.out(
            [workflow.workflowId, attributes.get(EpisodeStatus) ?? workflow.status.name, `specialist ${attributes.get(SpecialistId) ?? '-'}`, `overdue ${attributes.get(OverdueCount) ?? 0}`].join('\t'),
          );
          count++;
        }
        io.out(`${count} episode(s)`);
        return 0;
      }
      case 'show': {
        const episode = parsed(episodeArg, target, 'EpisodeOfCare id');
        const state = await temporal.workflow.getHandle(episodeWorkflowId(episode)).query(getState);
        io.out(`EpisodeOfCare/${episode}: ${state.status}, admitted ${state.config.admissionDate}, specialist ${state.config.specialist}, supervisor ${state.config.supervisor}`);
        for (const requirement of Object.values(state.requirements).sort((a, b) => a.dueAt - b.dueAt)) {
          const task = requirement.taskId ? `Task/${requirement.taskId}` : 'no Task yet';
          const failure = requirement.writeFailure ? `\t${writeFailureLabel(requirement.writeFailure)}` : '';
          io.out(`  ${requirement.key.padEnd(40)} due ${requirement.dueDate}  ${requirement.stage.padEnd(12)} ${isOpen(requirement) ? 'open' : ''}\t${task}${failure}`);
        }
        return 0;
      }
      case 'admit':
      case 'release': {
        const episode = parsed(episodeArg, target, 'EpisodeOfCare id');
        const { encounter, date } = parsed(stayArgs, { encounter: values.encounter, date: values.date }, `${command} options`);
        const event: EpisodeEventInput =
          command === 'admit'
            ? { type: 'hospital-admission', eventId: `operator/hospital-admission/${encounter}/${date}`, encounterId: encounter, admittedOn: date }
            : { type: 'hospital-release', eventId: `operator/hospital-release/${encounter}/${date}`, encounterId: encounter, releasedOn: date };
        return await record(temporal, episode, event, io);
      }
      case 'discharge': {
        const episode = parsed(episodeArg, target, 'EpisodeOfCare id');
        const { date } = parsed(dischargeArgs, { date: values.date }, 'discharge options');
        return await record(temporal, episode, { type: 'program-discharge', eventId: `operator/program-discharge/${date}`, date }, io);
      }
      case 'assign': {
        const episode = parsed(episodeArg, target, 'EpisodeOfCare id');
        const { specialist, overrideBy } = parsed(assignArgs, { specialist: values.specialist, overrideBy: values['override-by'] }, 'assign options');
        const assignment = { episodeOfCare: `EpisodeOfCare/${episode}`, specialist: `Practitioner/${specialist}`, ...(overrideBy ? { overrideBy } : {}) };
        const result = await assignEpisode(temporal, createFhirClient(config.fhir), config.temporal.taskQueue, assignment);
        const count = `caseload ${result.answer.caseload} of cap ${result.answer.cap}`;
        if (result.outcome === 'refused') {
          io.err(`refused: ${result.answer.reason ?? count}`);
          return 1;
        }
        if (result.outcome === 'not-recorded') {
          io.err(`not recorded: the FHIR server answered ${result.answered} to EpisodeOfCare/${episode}.careManager; the assignment was withdrawn from ${assignment.specialist}: run it again`);
          return 1;
        }
        io.out(`EpisodeOfCare/${episode} assigned to ${assignment.specialist} (${count}${overrideBy ? `, approved by ${overrideBy}` : ''}); careManager recorded as version ${result.version}; episode ${result.told}`);
        return 0;
      }
      case 'caseload': {
        const specialist = parsed(practitionerArg, target, 'Practitioner id');
        const { weeks } = parsed(caseloadArgs, { weeks: values.weeks }, 'caseload options');
        const summary = await caseloadOf(temporal, specialist, io.agencyPolicy(config), weeks);
        for (const line of values.json ? [caseloadJson(summary)] : caseloadTable(summary)) io.out(line);
        return 0;
      }
      case 'redeliver': {
        const reference = parsed(resourceArg, target, 'resource');
        const [type, id] = reference.split('/') as ['Encounter', string];
        const fhir = createFhirClient(config.fhir);
        const resource = await fhir.readResource(type, id, { cache: 'no-cache' });
        const log = createProcessLog('warn', (line) => process.stderr.write(line));
        const result = await deliverFhirChange({ temporal, fhir, taskQueue: config.temporal.taskQueue, defaults: episodeDefaults as EpisodeDefaults, log }, resource);
        io.out(result.outcome === 'delivered' ? `delivered ${result.events} event(s) to ${result.to}` : `skipped: ${result.reason}`);
        return result.outcome === 'delivered' ? 0 : 1;
      }
      case 'backfill': {
        if (target) throw new UsageError(`unexpected arguments: ${target}`);
        const { since } = parsed(backfillArgs, { since: values.since }, 'backfill options');
        const source = io.pollingSource();
        try {
          const workflowId = await requestPollingBackfill(temporal, source, { since });
          io.out(`backfill from ${since} requested of ${workflowId}: its changes since then are delivered again; no episode that ended before ${since} is started`);
          return 0;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          io.out(`no polling workflow ${error.workflowId}: the intake of source ${source} polls only with INTAKE_POLL_INTERVAL on`);
          return 1;
        }
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      io.out(`no such episode: ${error.workflowId}`);
      return 1;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

async function report(target: string | undefined, values: { month?: string; specialist?: string; html?: string; json: boolean }, config: Config, io: Io): Promise<number> {
  if (target) throw new UsageError(`unexpected arguments: ${target}`);
  const { month, specialist, html } = parsed(reportArgs, { month: values.month, specialist: values.specialist, html: values.html }, 'report options');
  const owner = specialist === undefined ? undefined : `Practitioner/${specialist}`;
  const { timeZone } = io.agencyPolicy(config);
  const timeliness = await monthlyTimelinessReport(createFhirClient(config.fhir), month, timeZone, Date.now(), owner);
  if (html !== undefined) writeFileSync(html, reportPage(timeliness, owner));
  for (const line of values.json ? [reportJson(timeliness)] : reportTable(timeliness, owner)) io.out(line);
  if (html !== undefined && !values.json) io.out(`page written to ${html}`);
  return 0;
}

async function record(temporal: Client, episode: string, event: EpisodeEventInput, io: Io): Promise<number> {
  try {
    const receipt = await temporal.workflow.getHandle(episodeWorkflowId(episode)).executeUpdate(recordEvent, { args: [event] });
    io.out(`${event.type} ${receipt.outcome} (${receipt.eventId})`);
    return 0;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      io.out(`refused: ${error.cause?.message ?? error.message}`);
      return 1;
    }
    throw error;
  }
}

/** A FHIR search of ours (activities/) that no server answered: classifyFhirError's refusal of status 0. */
const isFhirUnanswered = (error: unknown) => error instanceof ApplicationFailure && (error.details?.[0] as FhirRefusal | undefined)?.status === 0;

/** The exit code of an error the CLI let through. */
export function exitCodeOf(error: unknown): { code: number; message: string } {
  const { message } = error as Error;
  if (error instanceof ConfigError) return { code: 78, message };
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return { code: 2, message: `${message}\n\n${USAGE}` };
  if (error instanceof DeliveryUnavailable || isFhirUnanswered(error) || /connect|unavailable|deadline/i.test(message)) return { code: 69, message: `unreachable: ${message}` };
  return { code: 1, message: `failed: ${message}` };
}

if (import.meta.main) {
  const io: Io = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    config: () => loadConfig(),
    episodeDefaults: (base) => parseEpisodeDefaults(withLocalStackDefaults(process.env), base),
    pollingSource: () => parseIntakeSource(process.env),
    agencyPolicy: (base) => parseAgencyPolicyFile(base),
  };
  try {
    process.exitCode = await runOperatorCli(process.argv.slice(2), io);
  } catch (error) {
    const { code, message } = exitCodeOf(error);
    console.error(message);
    process.exitCode = code;
  }
}
