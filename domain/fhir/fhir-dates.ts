/** FHIR `date`/`dateTime` values as the episode wants them: local days in the agency's zone, ISO instants. */
import { localDateOf } from '../rules/index.ts';

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A full date stays as it is; a dateTime becomes the agency's local day; partial dates have no day. */
export function agencyLocalDate(value: string | undefined, timeZone: string): string | undefined {
  if (!value) return undefined;
  if (FULL_DATE.test(value)) return value;
  if (!value.includes('T')) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : localDateOf(instant, timeZone);
}

/** An ISO instant with offset (`Z`), from a dateTime or instant; undefined for dates and bad values. */
export function isoInstant(value: string | undefined): string | undefined {
  if (!value?.includes('T')) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}
