/**
 * `node worker/bundle-workflows.ts`: writes the workflow bundle's code to stdout (webpack's warnings
 * and errors to stderr). The worker runs it as a child process so that webpack's memory, about
 * 220 MiB that a long-running process would otherwise keep, leaves with the child.
 */
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { bundleCareWorkflows } from './worker.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });
const bundle = await bundleCareWorkflows();
process.stdout.write(bundle.code);
