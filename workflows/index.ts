/** Every workflow the worker registers (`workflowsPath`). */
export { clientEpisode } from './episode/client-episode.ts';
export { fhirPolling } from './polling/fhir-polling.ts';
export { specialistWorkload } from './specialist/specialist-workload.ts';
export { timelinessReport } from './reporting/timeliness-report.ts';
