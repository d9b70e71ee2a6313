/**
 * How every process of ours reaches Temporal (the worker's NativeConnection, the intake's and the
 * CLI's Connection): address, API key, TLS and mTLS from the shared configuration.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from './config.ts';

export function temporalConnectionOptions(temporal: Config['temporal']): { address: string; apiKey?: string; tls?: TLSConfig } {
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
