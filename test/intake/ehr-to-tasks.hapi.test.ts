/**
 * The EHR suite against HAPI FHIR (JPA, R4, H2, its defaults: references checked on write), the
 * stand-in for the vendor EHRs we cannot run here.
 */
import { startHapiFhirServer } from '../../local-stack/hapi-fhir.ts';
import { defineEhrSuite } from './ehr-suite.ts';
import { writeAsEhr } from './fhir-sender.ts';
import { searchParameters } from '../../fhir-profiles/definitions/search-parameters.ts';

defineEhrSuite({
  name: 'HAPI FHIR',
  start: async (dataDir) => {
    const hapi = await startHapiFhirServer({ dataDir });
    console.log(`HAPI FHIR ${hapi.version} at ${hapi.baseUrl}`);
    // The package's search parameters, as an agency loads them into its EHR.
    for (const parameter of searchParameters) await writeAsEhr(hapi.baseUrl, parameter);
    return hapi;
  },
  patienceMs: 20_000,
  checksReferences: true,
  deliversSubscriptions: true,
});
