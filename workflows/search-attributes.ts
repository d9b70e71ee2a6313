/**
 * Custom search attributes of the coordinators' view in the Temporal Web UI.
 * They hold FHIR logical ids and codes only, never PHI: search attributes are not encrypted.
 * The local dev server registers exactly these at start (see `local-stack/`).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PatientId = defineSearchAttributeKey('CarePatientId', SearchAttributeType.KEYWORD);
export const EpisodeOfCareId = defineSearchAttributeKey('CareEpisodeOfCareId', SearchAttributeType.KEYWORD);
export const SpecialistId = defineSearchAttributeKey('CareSpecialistId', SearchAttributeType.KEYWORD);
export const SupervisorId = defineSearchAttributeKey('CareSupervisorId', SearchAttributeType.KEYWORD);
export const EpisodeStatus = defineSearchAttributeKey('CareEpisodeStatus', SearchAttributeType.KEYWORD);
export const NextRequirement = defineSearchAttributeKey('CareNextRequirement', SearchAttributeType.KEYWORD);
export const NextDueAt = defineSearchAttributeKey('CareNextDueAt', SearchAttributeType.DATETIME);
export const OverdueCount = defineSearchAttributeKey('CareOverdueCount', SearchAttributeType.INT);
export const OverdueRequirements = defineSearchAttributeKey('CareOverdueRequirements', SearchAttributeType.KEYWORD_LIST);
/** A specialist's workflow (with `CareSpecialistId`): the counted caseload, the rolling average of weekly contact hours, whether the caseload is past the cap. */
export const Caseload = defineSearchAttributeKey('CareCaseload', SearchAttributeType.INT);
export const ContactHoursAverage = defineSearchAttributeKey('CareContactHoursAverage', SearchAttributeType.DOUBLE);
export const CaseloadOverCap = defineSearchAttributeKey('CareCaseloadOverCap', SearchAttributeType.BOOL);

export const CARE_SEARCH_ATTRIBUTES = [
  PatientId,
  EpisodeOfCareId,
  SpecialistId,
  SupervisorId,
  EpisodeStatus,
  NextRequirement,
  NextDueAt,
  OverdueCount,
  OverdueRequirements,
  Caseload,
  ContactHoursAverage,
  CaseloadOverCap,
] as const;
