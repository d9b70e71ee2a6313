/**
 * The floor's workflow: as small as a workflow that stays open can be. It answers one update
 * (`ping`, the bare round trip through a worker) and ends on the `stop` signal.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const ping = defineUpdate<number, [number]>('ping');
export const stop = defineSignal('stop');

export async function noop(): Promise<void> {
  let stopped = false;
  setHandler(ping, (value) => value);
  setHandler(stop, () => void (stopped = true));
  await condition(() => stopped);
}
