/**
 * The floor's workflow: as small as a workflow that stays open can be. It answers one update
 * (`ping`, the bare round trip through a worker), ignores `poke` and ends on the `stop` signal.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const ping = defineUpdate<number, [number]>('ping');
export const stop = defineSignal('stop');
/** Wakes the workflow for one workflow task and nothing else (the catch-up floor). */
export const poke = defineSignal('poke');

export async function noop(): Promise<void> {
  let stopped = false;
  setHandler(ping, (value) => value);
  setHandler(stop, () => void (stopped = true));
  setHandler(poke, () => undefined);
  await condition(() => stopped);
}
