import { StorageUnavailableError } from "../core/errors.js";

/** Whether an error means Redis could not be reached (as opposed to a bug or a refused script). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? "";
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|CLUSTERDOWN|LOADING)$/.test(code) ||
    /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|LOADING|CLUSTERDOWN|max retries/i.test(
      error.message,
    )
  );
}

/**
 * Wraps every async method of a store so that an unreachable Redis surfaces as the core's
 * StorageUnavailableError ("nothing was lost, try again"), and anything else stays what it is (a bug).
 */
export function guardStorage<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== "function" || property === "constructor") return value;
      return function (this: unknown, ...args: unknown[]) {
        const result = (value as (...a: unknown[]) => unknown).apply(
          this === receiver ? receiver : this,
          args,
        );
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            throw isConnectionError(error) ? new StorageUnavailableError(error) : error;
          });
        }
        return result;
      };
    },
  });
}
