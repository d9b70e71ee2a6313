/**
 * The timers an episode sleeps on, kept across passes of its loop instead of cancelled and started
 * again on every event. The timer for the next wake-up keeps running while that instant stays the
 * same. When an event brings the wake-up forward (a contact opens its note, due in two days), the
 * later timer keeps running too: once the note is written the wake-up usually goes back to that
 * very instant, and the timer is still there. A timer is cancelled only once the wake-up has moved
 * past it (it would wake the episode for nothing), so the earliest running timer is always the
 * wake-up itself. Each timer carries its wake-up's summary (the Web UI shows it, e.g.
 * "CIP-INITIAL/1 due soon").
 */
import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';
import type { WakeUp } from '../domain/episode/schedule.ts';

/** Later timers kept at most (the furthest are cancelled beyond it). */
const MAX_TIMERS = 4;

interface Running {
  at: number;
  scope: CancellationScope;
  fired: boolean;
}

export interface WakeUpTimers {
  /** Resolves once `woken()` holds or the wake-up comes; without a wake-up, once `woken()` holds. */
  sleepUntil(wakeUp: WakeUp | undefined, woken: () => boolean): Promise<void>;
}

function start(wakeUp: WakeUp): Running {
  const timer: Running = { at: wakeUp.at, scope: new CancellationScope(), fired: false };
  timer.scope
    .run(() => sleep(Math.max(1, wakeUp.at - Date.now()), { summary: wakeUp.summary }))
    .then(
      () => {
        timer.fired = true;
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  return timer;
}

export function wakeUpTimers(): WakeUpTimers {
  let running: Running[] = [];
  return {
    async sleepUntil(wakeUp, woken) {
      const stays = (timer: Running) => !timer.fired && wakeUp !== undefined && timer.at >= wakeUp.at;
      for (const timer of running) if (!timer.fired && !stays(timer)) timer.scope.cancel();
      running = running.filter(stays);
      if (wakeUp && !running.some((timer) => timer.at === wakeUp.at)) running.push(start(wakeUp));
      running.sort((a, b) => a.at - b.at);
      for (const timer of running.splice(MAX_TIMERS)) timer.scope.cancel();
      await condition(() => woken() || running.some((timer) => timer.fired));
    },
  };
}
