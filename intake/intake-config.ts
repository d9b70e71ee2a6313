/**
 * The intake's configuration: the worker's (Temporal, FHIR, agency policy, log level; see
 * platform/config.ts) plus the variables below, parsed by one zod schema. A bad value stops start-up
 * with one line naming the variable, never a secret.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type Config, loadConfig } from '../platform/config.ts';
import { episodeDefaultsSchema, type EpisodeDefaults } from '../domain/episode/episode-defaults.ts';
import { type AgencyPolicy, agencyPolicySchema } from '../domain/rules/index.ts';
import { DEFAULT_MAX_BODY_BYTES } from './http-server.ts';

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port');

export const intakeEnvironmentSchema = z.object({
  INTAKE_BIND: hostPort.default('127.0.0.1:8110'),
  /** The URL FHIR servers reach the intake at (Subscription endpoints); default from INTAKE_BIND. */
  INTAKE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  INTAKE_SECRET: z.string().min(16, 'must be at least 16 characters'),
  INTAKE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
  INTAKE_SUPERVISOR: z.string().min(1),
  INTAKE_AGENCY: z.string().min(1).optional(),
  /** The Organization the monthly timeliness report is reported by; default INTAKE_AGENCY (neither: no Schedule). */
  REPORT_AGENCY: z.string().regex(/^Organization\/[A-Za-z0-9\-.]{1,64}$/, 'not an Organization reference').optional(),
  /** Seconds between polls, or `off` (subscriptions only). */
  INTAKE_POLL_INTERVAL: z.union([z.literal('off'), z.coerce.number().min(1).max(86_400)]).default(10),
  INTAKE_SOURCE: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes').default('ehr'),
  /** The intake's Prometheus endpoint (the worker's is METRICS_BIND), or `off`. */
  INTAKE_METRICS_BIND: z.union([hostPort, z.literal('off')]).default('127.0.0.1:9465'),
});

export interface IntakeConfig {
  base: Config;
  bind: { host: string; port: number };
  publicUrl: string;
  secret: string;
  maxBodyBytes: number;
  episodeDefaults: EpisodeDefaults;
  /** The reporter of the monthly timeliness report, if any. */
  reportAgency?: string;
  pollIntervalMs?: number;
  source: string;
  metricsBind?: string;
}

const SECRETS = new Set(['INTAKE_SECRET']);

export function parseIntakeConfig(env: NodeJS.ProcessEnv, base: Config): IntakeConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value));
  const result = intakeEnvironmentSchema.safeParse(present);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => line(issue.path, issue.message, env)).join('\n'));
  const vars = result.data;
  const episodeDefaults = parseEpisodeDefaults(env, base);
  const [host = '127.0.0.1', port = '8110'] = vars.INTAKE_BIND.split(':');
  return {
    base,
    bind: { host, port: Number(port) },
    publicUrl: (vars.INTAKE_PUBLIC_URL ?? `http://${vars.INTAKE_BIND}`).replace(/\/+$/, ''),
    secret: vars.INTAKE_SECRET,
    maxBodyBytes: vars.INTAKE_MAX_BODY_BYTES,
    episodeDefaults,
    reportAgency: vars.REPORT_AGENCY ?? episodeDefaults.agency,
    pollIntervalMs: vars.INTAKE_POLL_INTERVAL === 'off' ? undefined : vars.INTAKE_POLL_INTERVAL * 1000,
    source: vars.INTAKE_SOURCE,
    metricsBind: vars.INTAKE_METRICS_BIND === 'off' ? undefined : vars.INTAKE_METRICS_BIND,
  };
}

/** The supervisor of new episodes on the local stack, whose embedded FHIR server holds it. */
export const LOCAL_STACK_SUPERVISOR = 'Practitioner/local-supervisor';
/** The reporter of the local stack's timeliness reports, held there too (not the agency of its episodes). */
export const LOCAL_STACK_REPORT_AGENCY = 'Organization/local-agency';

/** On the local stack (no FHIR_BASE_URL: the embedded server), what `npm start` gives the intake. */
export function withLocalStackDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.FHIR_BASE_URL ? env : { INTAKE_SUPERVISOR: LOCAL_STACK_SUPERVISOR, ...env };
}

const episodeDefaultsEnvironmentSchema = intakeEnvironmentSchema.pick({ INTAKE_SUPERVISOR: true, INTAKE_AGENCY: true });

/** What new episodes start with (INTAKE_SUPERVISOR, INTAKE_AGENCY, AGENCY_POLICY_FILE), alone: what the operator CLI's `redeliver` needs. */
export function parseEpisodeDefaults(env: NodeJS.ProcessEnv, base: Config): EpisodeDefaults {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value));
  const result = episodeDefaultsEnvironmentSchema.safeParse(present);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => line(issue.path, issue.message, env)).join('\n'));
  const policy = agencyPolicyFileOf(base);
  const defaults = episodeDefaultsSchema.safeParse({ supervisor: result.data.INTAKE_SUPERVISOR, agency: result.data.INTAKE_AGENCY, policy });
  if (!defaults.success) {
    const variable = { supervisor: 'INTAKE_SUPERVISOR', agency: 'INTAKE_AGENCY', policy: 'AGENCY_POLICY_FILE' } as Record<string, string>;
    throw new ConfigError(defaults.error.issues.map((issue) => line([variable[String(issue.path[0])] ?? 'environment'], issue.message, env)).join('\n'));
  }
  return defaults.data;
}

/** The agency overrides of AGENCY_POLICY_FILE, as JSON (`{}` without one); validated by whoever parses the policy. */
function agencyPolicyFileOf(base: Config): unknown {
  if (!base.agencyPolicyFile) return {};
  try {
    return JSON.parse(readFileSync(base.agencyPolicyFile, 'utf8'));
  } catch {
    throw new ConfigError('configuration error: AGENCY_POLICY_FILE: not a JSON file');
  }
}

/** The agency policy (AGENCY_POLICY_FILE) alone: what the operator CLI's `caseload` needs when no specialist workflow runs. */
export function parseAgencyPolicyFile(base: Config): AgencyPolicy {
  const result = agencyPolicySchema.safeParse(agencyPolicyFileOf(base));
  if (!result.success) throw new ConfigError(`configuration error: AGENCY_POLICY_FILE: ${result.error.issues.map((issue) => `${issue.path.map(String).join('.')} ${issue.message}`).join('; ')}`);
  return result.data;
}

const sourceEnvironmentSchema = intakeEnvironmentSchema.pick({ INTAKE_SOURCE: true });

/** The FHIR source's name (INTAKE_SOURCE) alone: what the operator CLI's `backfill` needs. */
export function parseIntakeSource(env: NodeJS.ProcessEnv): string {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value));
  const result = sourceEnvironmentSchema.safeParse(present);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => line(issue.path, issue.message, env)).join('\n'));
  return result.data.INTAKE_SOURCE;
}

export function loadIntakeConfig(envFile = '.env'): IntakeConfig {
  return parseIntakeConfig(process.env, loadConfig(envFile));
}

function line(path: PropertyKey[], message: string, env: NodeJS.ProcessEnv): string {
  const variable = String(path[0] ?? 'environment');
  const value = env[variable];
  const shown = value === undefined || SECRETS.has(variable) ? '' : ` (got ${JSON.stringify(value)})`;
  return `configuration error: ${variable}: ${message}${shown}`;
}
