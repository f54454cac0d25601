import { AsyncLocalStorage } from "node:async_hooks";

/** What is known about the HTTP request being handled: carried through its async work (log lines, jobs it enqueues). */
export interface RequestContext {
  requestId: string;
  platform?: string;
  tenant?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request being handled, if any: a job enqueued from here should carry its requestId. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds what a handler learned (platform, tenant) to the current request's log line; no-op outside a request. */
export function noteRequest(fields: { platform?: string; tenant?: string }): void {
  const context = storage.getStore();
  if (!context) return;
  if (fields.platform) context.platform = fields.platform;
  if (fields.tenant) context.tenant = fields.tenant;
}
