/** The EHR suite against the embedded FHIR server (Medplum's FHIR router), as `npm start` runs it. */
import { startFhirServer } from '../../fhir-server/server.ts';
import { defineEhrSuite } from './ehr-suite.ts';

defineEhrSuite({
  name: 'the embedded FHIR server',
  start: (dataDir) => startFhirServer({ dataDir }),
  patienceMs: 5_000,
  checksReferences: false,
  deliversSubscriptions: false,
});
