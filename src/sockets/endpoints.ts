/**
 * ZeroMQ endpoints as `Broker` and `Peer` take them: checking them, and the `ipc://` socket files
 * a broker creates — refusing a path another live broker holds (libzmq would silently take it
 * over) and removing the files when the broker stops (libzmq leaves them on disk).
 *
 * Internal: not exported from `sockets.ts`.
 *
 * @module
 */

import { BrokerBindError } from "./errors.ts";

const ENDPOINT = /^[a-z]+:\/\/./;

/**
 * Returns `endpoint` if it looks like a ZeroMQ endpoint (`ipc://…`, `tcp://…`, …); throws a
 * TypeError naming `what` (such as `"Broker inEndpoint"`) otherwise.
 */
export function checkEndpoint(what: string, endpoint: unknown): string {
  if (typeof endpoint !== "string" || !ENDPOINT.test(endpoint)) {
    const shown = typeof endpoint === "string" ? `"${endpoint}"` : typeof endpoint;
    throw new TypeError(
      `Cannot create ${what}: expected an endpoint such as "ipc:///tmp/app/in" or "tcp://127.0.0.1:5555", received ${shown}`,
    );
  }
  return endpoint;
}

/**
 * The file an `ipc://` endpoint binds, or `null` for other transports, the wildcard `ipc://*` and
 * Linux abstract sockets (`ipc://@name`), which leave no file.
 */
export function ipcPath(endpoint: string): string | null {
  if (!endpoint.startsWith("ipc://")) return null;
  const path = endpoint.slice("ipc://".length);
  return path === "" || path === "*" || path.startsWith("@") ? null : path;
}

/**
 * Throws a {@linkcode BrokerBindError} with code `EADDRINUSE` when a process accepts connections
 * on the socket file of `endpoint`. A file nobody accepts on is stale (a broker that was killed):
 * binding replaces it.
 */
export async function assertNotHeld(endpoint: string): Promise<void> {
  const path = ipcPath(endpoint);
  if (path === null) return;
  let connection: Deno.Conn;
  try {
    connection = await Deno.connect({ transport: "unix", path });
  } catch {
    return; // no file, or nobody listening: free to bind
  }
  connection.close();
  throw new BrokerBindError(
    endpoint,
    "EADDRINUSE",
    "another live process (probably another Broker) is bound to it",
  );
}

/** Identifies the socket file at `path` (its inode), or `null` if there is none. */
export function fileIdentity(path: string): number | null {
  try {
    return Deno.lstatSync(path).ino;
  } catch {
    return null;
  }
}

/** Removes the socket file at `path` if it is still the one identified by `identity`. */
export function removeSocketFile(path: string, identity: number | null): void {
  if (identity === null || fileIdentity(path) !== identity) return;
  try {
    Deno.removeSync(path);
  } catch {
    // gone meanwhile: nothing to do
  }
}
