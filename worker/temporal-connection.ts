/** Connection options of a Temporal client from the shared configuration (API key, TLS, mTLS). */
import { readFileSync } from 'node:fs';
import type { Connection } from '@temporalio/client';
import type { Config } from '../worker/config.ts';

export function temporalConnectionOptions(temporal: Config['temporal']): Parameters<typeof Connection.connect>[0] {
  const { tls } = temporal;
  return {
    address: temporal.address,
    apiKey: temporal.apiKey,
    tls: tls
      ? {
          serverNameOverride: tls.serverName,
          clientCertPair:
            tls.clientCertFile && tls.clientKeyFile ? { crt: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile) } : undefined,
        }
      : undefined,
  };
}
