/** The timeliness report against the embedded FHIR server, as `npm start` runs it. */
import { startFhirServer } from '../../fhir-server/server.ts';
import { defineTimelinessSuite } from './timeliness-suite.ts';

defineTimelinessSuite({ name: 'the embedded FHIR server', start: (dataDir) => startFhirServer({ dataDir }) });
