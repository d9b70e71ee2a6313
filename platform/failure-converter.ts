/**
 * The failure converter of every process and of the workflow sandbox: failures' `message` and
 * `stack_trace` travel as an encoded payload (`encodedAttributes`), which the payload codec then
 * encrypts like any other, instead of standing in clear in the history. The SDK loads this module
 * by path (`failureConverterPath`) in the worker, clients and the workflow bundle, so it imports
 * nothing but the SDK.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
