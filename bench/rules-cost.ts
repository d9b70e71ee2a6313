/**
 * `node bench/rules-cost.ts [--baseline=REV] [--episodes=N] [--rounds=N]`: what the deadline rules cost
 * at an episode start, the rules of REV (extracted with `git archive`) against those of the working
 * tree, in the same run and interleaved round by round. One start is what the episode workflow
 * asks of the rules when it starts (`reconcile.ts` `startDeadlines`, then `schedule.ts`
 * `scheduleRecurring` over its 400-day window), after parsing the episode's agency policy.
 *
 * - warm: one module instance for all starts (caches filled by the earlier starts);
 * - fresh: a new instance of every module of the rules and of `@date-fns/tz` per start, as in the
 *   workflow sandbox, where each workflow gets its own. `zod` and `date-fns` stay shared: the
 *   workflow bundle needs zod anyway, and a fresh ESM instance of `date-fns` would evaluate all of
 *   its ~250 modules where the bundle holds only those the rules use. Node compiles each fresh
 *   module anew, which the sandbox's once-compiled bundle does not; the import column shows that part.
 *
 * Both sides must date every start alike: the run fails if one deadline differs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { figure, printTable, type Figure } from './figures.ts';

type Rules = typeof import('../domain/rules/index.ts');

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
/** The last commit before the integer calendar arithmetic and the lazy policy schema. */
const baselineRev = arg('baseline') ?? 'd091744b601e50e90a15cf847dc910af75e146a9';
const episodes = Number(arg('episodes') ?? 100);
const rounds = Number(arg('rounds') ?? 3);
const repo = join(import.meta.dirname, '..');
const DAY = 86_400_000;

// --- fresh module instances: `?fresh=<tag>` on an import spreads to everything it imports ---------
const shared = ['/node_modules/zod/', '/node_modules/date-fns/'];
const loaded = new Map<string, { format: string; source: string }>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const tag = context.parentURL && new URL(context.parentURL).searchParams.get('fresh');
    if (!tag || !result.url.startsWith('file:') || shared.some((part) => result.url.includes(part))) return result;
    const url = new URL(result.url);
    url.searchParams.set('fresh', tag);
    return { ...result, url: url.href };
  },
  load(url, context, nextLoad) {
    if (!url.includes('fresh=')) return nextLoad(url, context);
    const file = url.slice(0, url.indexOf('?'));
    let module = loaded.get(file);
    if (!module) {
      // Read and strip each file once: the sandbox does not parse its bundle per workflow either.
      const { format, source } = nextLoad(file, context);
      const text = String(source);
      module = format === 'module-typescript' ? { format: 'module', source: stripTypeScriptTypes(text) } : { format: format ?? 'module', source: text };
      loaded.set(file, module);
    }
    return { ...module, shortCircuit: true };
  },
});

/** Where the rules live: today's layout first, then the one before the domain core had its own folder. */
const RULES_LAYOUTS = [
  { entry: 'domain/rules/index.ts', paths: ['domain/rules', 'domain/calendar', 'domain/vocabulary.ts'] },
  { entry: 'workflows/rules/index.ts', paths: ['workflows/rules', 'workflows/vocabulary.ts'] },
];

function rulesLayoutAt(rev: string): (typeof RULES_LAYOUTS)[number] {
  const tracked = execFileSync('git', ['-C', repo, 'ls-tree', '-r', '--name-only', rev], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n');
  const layout = RULES_LAYOUTS.find((candidate) => tracked.includes(candidate.entry));
  if (!layout) throw new Error(`no deadline rules found at ${rev}`);
  return layout;
}

function extractBaseline(rev: string): { dir: string; entry: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rules-baseline-'));
  const layout = rulesLayoutAt(rev);
  const archive = execFileSync('git', ['-C', repo, 'archive', rev, ...layout.paths], { maxBuffer: 1 << 26 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return { dir, entry: layout.entry };
}

// --- the episode starts ---------------------------------------------------------------------------
interface Start {
  admissionDate: string;
  now: number;
  policy: Record<string, unknown>;
}

/** Admissions spread over the three years before each start (late starts of existing clients included). */
const starts: Start[] = Array.from({ length: episodes }, (_, i) => {
  const now = Date.parse('2026-03-02T15:00:00Z') + i * 5 * 3_600_000;
  const admissionDate = new Date(now - ((i * 37) % 1100) * DAY).toISOString().slice(0, 10);
  const policy = i % 4 === 3 ? { timeZone: 'America/New_York', holidays: { add: ['2026-11-27'] } } : {};
  return { admissionDate, now, policy };
});

function startEpisode(rules: Rules, { admissionDate, now, policy: input }: Start): unknown[] {
  const policy = rules.parseAgencyPolicy(input);
  const episode = { admissionDate, assessmentDates: [] };
  return [
    ...rules.admissionDeadlines(admissionDate, policy),
    ...rules.currentCycleDeadlines(episode, policy, now),
    ...rules.recurringDeadlines(episode, policy, { from: now, until: now + 400 * DAY }),
  ];
}

interface Side {
  name: string;
  entry: string;
  warm: number[];
  fresh: number[];
  freshImport: number[];
  outputs: string[];
}

let freshTag = 0;
async function runRound(side: Side, round: number): Promise<void> {
  const rules = (await import(side.entry)) as Rules;
  let begun = performance.now();
  const outputs = starts.map((start) => JSON.stringify(startEpisode(rules, start)));
  if (round > 0) side.warm.push((performance.now() - begun) / episodes); // round 0 warms up
  side.outputs = outputs;

  let importing = 0;
  begun = performance.now();
  for (const start of starts) {
    const importBegun = performance.now();
    const instance = (await import(`${side.entry}?fresh=${++freshTag}`)) as Rules;
    importing += performance.now() - importBegun;
    startEpisode(instance, start);
  }
  if (round > 0) {
    side.fresh.push((performance.now() - begun) / episodes);
    side.freshImport.push(importing / episodes);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const { dir: baselineDir, entry: baselineEntry } = extractBaseline(baselineRev);
try {
  const old: Side = { name: `baseline ${baselineRev.slice(0, 7)}`, entry: pathToFileURL(join(baselineDir, baselineEntry)).href, warm: [], fresh: [], freshImport: [], outputs: [] };
  const now: Side = { name: 'working tree', entry: pathToFileURL(join(repo, RULES_LAYOUTS[0]!.entry)).href, warm: [], fresh: [], freshImport: [], outputs: [] };
  for (let round = 0; round <= rounds; round++) {
    for (const side of round % 2 ? [now, old] : [old, now]) await runRound(side, round);
  }
  const differing = starts.findIndex((_, i) => old.outputs[i] !== now.outputs[i]);
  if (differing >= 0) throw new Error(`start ${differing} (${JSON.stringify(starts[differing])}) is dated differently by the two sides`);

  const figures: Figure[] = [];
  for (const [label, pick] of [
    ['warm', (side: Side) => side.warm],
    ['fresh instance', (side: Side) => side.fresh],
    ['  of which import', (side: Side) => side.freshImport],
  ] as const) {
    const floor = median(pick(old));
    figures.push(figure(`${label}: ${old.name}`, floor, 'ms/start'));
    figures.push(figure(`${label}: ${now.name}`, median(pick(now)), 'ms/start', { floor, note: 'floor = baseline' }));
  }
  console.log(`${episodes} episode starts per round, median of ${rounds} rounds; every start dated alike by both sides`);
  printTable(figures);
} finally {
  rmSync(baselineDir, { recursive: true, force: true });
}
