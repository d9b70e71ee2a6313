/**
 * The activities a specialist's workflow calls, as types only: `activities/` implements them, the
 * workflow proxies them. Payloads are ids, codes, numbers and dates.
 */
import type { RequirementTaskWritten } from '../episode/episode-activities.ts';
import type { WeekFigures } from './contact-hours.ts';
import type { SpecialistTask } from './state.ts';

export interface SpecialistTaskWrite {
  specialist: string;
  agency: string;
  /** With its focus as it is written (a CONTACT-HOURS Task: the latest week's MeasureReport, once known). */
  task: Omit<SpecialistTask, 'synced' | 'writeFailure'>;
  /** The workflow's clock: `Task.lastModified`. */
  now: number;
}

/** As a requirement's Task: `changedInEhr` when the EHR completed or cancelled it meanwhile (left alone). */
export type SpecialistTaskWritten = RequirementTaskWritten;

export interface ContactHoursReportWrite {
  specialist: string;
  agency: string;
  timeZone: string;
  figures: WeekFigures;
  /** `MeasureReport.date`. */
  now: number;
}

export interface ContactHoursReportWritten {
  reportId: string;
}

export interface SpecialistActivities {
  writeSpecialistTask(write: SpecialistTaskWrite): Promise<SpecialistTaskWritten>;
  writeContactHoursReport(write: ContactHoursReportWrite): Promise<ContactHoursReportWritten>;
}
