/** The timeliness report against HAPI FHIR (references checked on write), its due-date SearchParameter loaded from our package. */
import { startHapiFhirServer } from '../../local-stack/hapi-fhir.ts';
import { searchParameters } from '../../fhir-profiles/definitions/search-parameters.ts';
import { writeAsEhr } from '../intake/fhir-sender.ts';
import { defineTimelinessSuite } from './timeliness-suite.ts';

defineTimelinessSuite({
  name: 'HAPI FHIR',
  start: async (dataDir) => {
    const hapi = await startHapiFhirServer({ dataDir });
    for (const parameter of searchParameters) await writeAsEhr(hapi.baseUrl, parameter);
    return hapi;
  },
});
