/**
 * The timeliness report against a real FHIR server (FHIR only: the Tasks are written as the EHR
 * holds them, no episode runs), the real Temporal dev server and the real care worker: the
 * workflow's summary MeasureReport against a count made here from the Tasks, a second run leaving
 * one report and one List per identifier, and the monthly Schedule's next run. Run by each
 * server's test file (the embedded server, HAPI FHIR).
 */
import { readFileSync } from 'node:fs';
import type { List, MeasureReport, Resource } from '@medplum/fhirtypes';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isoWithOffset, localDateOf } from '../../domain/calendar/local-date.ts';
import { JANUARY_2026, JANUARY_TASKS, REFERENCED_EXAMPLES, dueTask } from '../../domain/reporting/timeliness-fixtures.ts';
import { MEASURE_POPULATION_SYSTEM, TIMELINESS_LIST_IDENTIFIER_SYSTEM, TIMELINESS_POPULATION_SYSTEM, TIMELINESS_REPORT_IDENTIFIER_SYSTEM } from '../../domain/vocabulary.ts';
import { ensureReportSchedule, runTimelinessReport, TIMELINESS_SCHEDULE_ID } from '../../intake/timeliness-report-schedule.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { requirementTasksDue } from '../../activities/requirement-tasks-due.ts';
import type { EhrServer } from '../intake/ehr-suite.ts';
import type { timelinessReport } from '../../workflows/index.ts';
import { writeAsEhr } from '../intake/fhir-sender.ts';
import { waitFor } from '../wait-for.ts';
import { runOperatorCli } from '../../intake/operator-cli.ts';
import { parseConfig } from '../../platform/config.ts';
import { parseAgencyPolicy } from '../../domain/rules/index.ts';
import { startCareStack, type CareStack } from '../care-stack.ts';

export function defineTimelinessSuite(server: Pick<EhrServer, 'name' | 'start'>): void {
  describe(`the timeliness report on ${server.name}`, () => {
    const TASK_QUEUE = 'care-episodes-reporting';
    const TIME_ZONE = 'America/Chicago';
    const AGENCY = 'Organization/example-agency';
    const options = { taskQueue: TASK_QUEUE, agency: AGENCY, timeZone: TIME_ZONE };
    let stack: CareStack;
    let client: Client;

    beforeAll(async () => {
      stack = await startCareStack({
        taskQueue: TASK_QUEUE,
        startFhir: server.start,
        async prepare(baseUrl) {
          for (const name of REFERENCED_EXAMPLES) {
            await writeAsEhr(baseUrl, JSON.parse(readFileSync(new URL(`../../fhir-profiles/package/examples/${name}.json`, import.meta.url), 'utf8')) as Resource);
          }
          for (const due of JANUARY_TASKS) await writeAsEhr(baseUrl, dueTask(due, TIME_ZONE));
        },
      });
      client = stack.client;
    }, 240_000);

    afterAll(() => stack?.stop());

    async function search<T extends Resource>(query: string): Promise<T[]> {
      const response = await fetch(`${stack.fhirBaseUrl}/${query}`, { headers: { accept: 'application/fhir+json', 'cache-control': 'no-cache' } });
      expect(response.status, query).toBe(200);
      return (((await response.json()) as { entry?: { resource: T }[] }).entry ?? []).map((entry) => entry.resource);
    }
    const byIdentifier = <T extends Resource>(type: string, system: string, value: string) => search<T>(`${type}?identifier=${encodeURIComponent(`${system}|${value}`)}`);

    /** The populations as counted here from the fixtures' stages, without the measure's code. */
    function countedHere() {
      const inMonth = JANUARY_TASKS.filter((due) => due.dueDate >= JANUARY_2026.start && due.dueDate <= JANUARY_2026.end);
      const numerator = inMonth.filter((due) => due.stage === 'met-on-time').length;
      const metLate = inMonth.filter((due) => due.stage === 'met-late').length;
      // The report runs after January: every open Task due in it is past due.
      const overdue = inMonth.filter((due) => ['open', 'due-soon', 'overdue'].includes(due.stage)).length;
      const dischargedOverdue = inMonth.filter((due) => due.stage === 'discharged' && due.dischargedOn! > due.dueDate).length;
      const denominator = numerator + metLate + overdue + dischargedOverdue;
      return { 'initial-population': inMonth.length, 'denominator-exclusion': inMonth.length - denominator, denominator, numerator, 'met-late': metLate, overdue, 'discharged-overdue': dischargedOverdue };
    }

    const populations = (report: MeasureReport) =>
      Object.fromEntries(
        (report.group?.[0]?.population ?? [])
          .filter((population) => [MEASURE_POPULATION_SYSTEM, TIMELINESS_POPULATION_SYSTEM].includes(population.code?.coding?.[0]?.system ?? ''))
          .map((population) => [population.code!.coding![0]!.code!, population.count]),
      );

    test('the due-date search: the local month exactly (not Dec 31 nor Feb 1, Chicago), every page', async () => {
      const fhir = createFhirClient({ baseUrl: stack.fhirBaseUrl, auth: { kind: 'none' } });
      const tasks = await requirementTasksDue(fhir, JANUARY_2026, TIME_ZONE, 3);
      const expected = JANUARY_TASKS.filter((due) => due.dueDate >= JANUARY_2026.start && due.dueDate <= JANUARY_2026.end).map((due) => due.id);
      expect(tasks.map((task) => task.id).sort()).toEqual(expected.sort());
    });

    test('January 2026 from the Tasks: the summary MeasureReport counts what the test counts; written twice, one report and one List per identifier', { timeout: 120_000 }, async () => {
      const first = await runTimelinessReport(client, '2026-01', options);
      const second = await runTimelinessReport(client, '2026-01', options);
      expect(second.summary).toEqual(first.summary);
      expect(second.individuals).toEqual(first.individuals);

      const summaries = await byIdentifier<MeasureReport>('MeasureReport', TIMELINESS_REPORT_IDENTIFIER_SYSTEM, 'example-agency/2026-01');
      expect(summaries.map((report) => `MeasureReport/${report.id}`)).toEqual([first.summary.report]);
      const summary = summaries[0]!;
      const expected = countedHere();
      expect(populations(summary)).toEqual(expected);
      expect(summary.group?.[0]?.measureScore?.value).toBe(Math.round((expected.numerator / expected.denominator) * 100) / 100);
      expect(first.counts).toMatchObject({ denominator: expected.denominator, numerator: expected.numerator, overdue: expected.overdue });

      const lists = await byIdentifier<List>('List', TIMELINESS_LIST_IDENTIFIER_SYSTEM, 'example-agency/2026-01');
      expect(lists.map((list) => `List/${list.id}`)).toEqual([first.summary.list]);
      expect(lists[0]!.entry?.map((entry) => entry.item.reference)).toEqual(['Task/tl-plan-discharged-after', 'Task/tl-qr-late', 'Task/tl-note-overdue', 'Task/tl-note-open-past']);

      for (const individual of first.individuals) {
        const value = `example-agency/2026-01/${individual.specialist.split('/')[1]}`;
        expect((await byIdentifier<MeasureReport>('MeasureReport', TIMELINESS_REPORT_IDENTIFIER_SYSTEM, value)).map((report) => report.subject?.reference)).toEqual([individual.specialist]);
        expect(await byIdentifier<List>('List', TIMELINESS_LIST_IDENTIFIER_SYSTEM, value)).toHaveLength(1);
      }
      // The operator's CLI reads the same Tasks and says the same.
      const printed: string[] = [];
      const config = parseConfig({ FHIR_BASE_URL: stack.fhirBaseUrl });
      const cliCode = await runOperatorCli(['report', '--month', '2026-01', '--json'], {
        out: (line) => printed.push(line),
        err: (line) => printed.push(line),
        config: () => config,
        episodeDefaults: () => {
          throw new Error('report reads no episode defaults');
        },
        pollingSource: () => 'ehr',
        agencyPolicy: () => parseAgencyPolicy({ timeZone: TIME_ZONE }),
      });
      expect(cliCode).toBe(0);
      const json = JSON.parse(printed.join('\n')) as Record<string, unknown>;
      expect(json).toMatchObject({
        denominator: expected.denominator,
        numerator: expected.numerator,
        metLate: expected['met-late'],
        overdue: expected.overdue,
        dischargedOverdue: expected['discharged-overdue'],
        rate: summary.group?.[0]?.measureScore?.value,
        late: lists[0]!.entry?.map((entry) => entry.item.reference),
      });
      console.log(`${server.name}: care-episodes report --month 2026-01 --json: ${printed.join('')}`);
      console.log(
        `${server.name}: timeliness 2026-01 from ${first.tasksRead} Tasks read: ${JSON.stringify(populations(summary))}, rate ${summary.group?.[0]?.measureScore?.value}; counted in the test ${JSON.stringify(expected)}; ${first.individuals.length} individual reports; run twice: 1 summary (version ${summary.meta?.versionId}), 1 List`,
      );
    });

    test('the Schedule: the 1st of next month at 00:30 in the agency zone; ensured twice, one Schedule', async () => {
      expect(await ensureReportSchedule(client, options)).toBe('created');
      expect(await ensureReportSchedule(client, options)).toBe('updated');
      const schedules: string[] = [];
      for await (const schedule of client.schedule.list()) schedules.push(schedule.scheduleId);
      expect(schedules).toEqual([TIMELINESS_SCHEDULE_ID]);
      const description = await client.schedule.getHandle(TIMELINESS_SCHEDULE_ID).describe();
      expect(description.spec.timezone).toBe(TIME_ZONE);
      const next = description.info.nextActionTimes.map((time) => isoWithOffset(time.getTime(), TIME_ZONE));
      const today = localDateOf(Date.now(), TIME_ZONE);
      const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
      const nextMonth = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
      expect(next[0]!.slice(0, 16)).toBe(`${nextMonth}-01T00:30`);
      console.log(`${server.name}: Schedule ${TIMELINESS_SCHEDULE_ID} (${description.spec.timezone}) next runs ${next.slice(0, 3).join(', ')}`);

      // Triggered now, it reports the month before this one: no Task due then, an empty report.
      const handle = client.schedule.getHandle(TIMELINESS_SCHEDULE_ID);
      await handle.trigger();
      const workflowId = await waitFor('the triggered run', 30_000, async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
      const result = await client.workflow.getHandle<typeof timelinessReport>(workflowId).result();
      const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
      expect(result).toMatchObject({ month: lastMonth, counts: { denominator: 0, rate: null } });
      const [empty] = await byIdentifier<MeasureReport>('MeasureReport', TIMELINESS_REPORT_IDENTIFIER_SYSTEM, `example-agency/${lastMonth}`);
      expect(empty?.group?.[0]?.measureScore).toBeUndefined();
      console.log(`${server.name}: the Schedule's run ${workflowId} reported ${result.month}: ${result.counts.denominator} Tasks due, ${result.summary.report}`);
    });
  });
}
