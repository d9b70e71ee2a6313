/**
 * Every page of a FHIR search, following each Bundle's `next` link as the server wrote it.
 * MedplumClient.searchResourcePages instead re-sends the link's query to `/<Type>`, which HAPI FHIR
 * refuses (its links are `<base>?_getpages=…`: HTTP 400 not-supported).
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, ExtractResource, ResourceType } from '@medplum/fhirtypes';

export async function* searchEveryPage<K extends ResourceType>(fhir: MedplumClient, resourceType: K, query: URLSearchParams): AsyncGenerator<ExtractResource<K>[]> {
  let bundle: Bundle<ExtractResource<K>> = await fhir.search(resourceType, query, { cache: 'no-cache' });
  for (;;) {
    yield (bundle.entry ?? []).flatMap((entry) => (entry.resource?.resourceType === resourceType ? [entry.resource] : []));
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    if (!next) return;
    bundle = await fhir.get<Bundle<ExtractResource<K>>>(next, { cache: 'no-cache' });
  }
}
