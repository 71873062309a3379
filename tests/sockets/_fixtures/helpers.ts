/**
 * Shared by the socket tests: temporary endpoints, raw ZeroMQ sockets that speak to a broker
 * without the Peer's protocol, and subprocesses whose output is read line by line.
 *
 * @module
 */

import assert from "node:assert/strict";
import { socketAccounting } from "@mreventloop/core/sockets";
import {
  type Message,
  openPublisher,
  openSubscriber,
  type SafeSocket,
} from "../../../src/sockets/_zmq.ts";
import { receiveEach } from "../../../src/sockets/_peer_subscriber.ts";

/** A fresh temporary directory with `in` and `out` ipc endpoints, removed at the end of scope. */
export interface TempEndpoints extends AsyncDisposable {
  readonly dir: string;
  readonly inEndpoint: string;
  readonly outEndpoint: string;
}

export async function tempEndpoints(): Promise<TempEndpoints> {
  const dir = await Deno.makeTempDir({ prefix: "mreventloop-" });
  return {
    dir,
    inEndpoint: `ipc://${dir}/in`,
    outEndpoint: `ipc://${dir}/out`,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Asserts that no ZeroMQ socket is open and no wait is in flight. */
export function assertNothingOpen(): void {
  assert.deepEqual(socketAccounting(), { openSockets: 0, pendingOperations: 0 });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A raw SUB socket connected to a broker's first endpoint, collecting every message. */
export class RawSubscriber implements AsyncDisposable {
  readonly messages: Message[] = [];
  readonly #socket: SafeSocket<ReturnType<typeof openSubscriber>["raw"]>;
  readonly #loop: Promise<void>;
  #waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  constructor(endpoint: string, prefixes: string[]) {
    this.#socket = openSubscriber();
    for (const prefix of prefixes) this.#socket.raw.subscribe(prefix);
    this.#socket.raw.connect(endpoint);
    this.#loop = receiveEach(this.#socket, (message) => {
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    }, () => false);
  }

  /** Resolves with the first message (already received or coming) that passes `test`. */
  next(test: (message: Message) => boolean): Promise<Message> {
    const found = this.messages.find(test);
    if (found !== undefined) return Promise.resolve(found);
    const { promise, resolve } = Promise.withResolvers<Message>();
    this.#waiters.push({ test, resolve });
    return promise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#socket.close();
    await this.#loop;
  }
}

/** A raw PUB socket connected to a broker's second endpoint. */
export class RawPublisher implements AsyncDisposable {
  readonly #socket = openPublisher();

  constructor(endpoint: string) {
    this.#socket.raw.connect(endpoint);
  }

  /** Sends one message (its parts), waiting for room if the queue is full. */
  async send(parts: (string | Uint8Array)[]): Promise<void> {
    assert.ok(await this.#socket.send(parts));
  }

  /**
   * Resolves once what this publisher sends reaches the broker: sends `sync:` frames until the
   * given raw subscriber (subscribed to `sync:`) receives one.
   */
  async sync(subscriber: RawSubscriber): Promise<void> {
    const received = subscriber.next((m) => text(m[0]).startsWith("sync:"));
    let done = false;
    received.then(() => done = true);
    for (let n = 0; !done; n++) {
      await this.send([`sync:${n}`]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([received, new Promise((resolve) => timer = setTimeout(resolve, 5))]);
      clearTimeout(timer);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#socket.close();
  }
}

/** A frame as text. */
export function text(frame: Uint8Array): string {
  return decoder.decode(frame);
}

/** A `deno run` subprocess of a script in this folder, its stdout read line by line. */
export class Script implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly lines: string[] = [];
  readonly #reading: Promise<void>;
  #waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  /**
   * Runs `deno run` (or `deno test`, its arguments after `--`) on the fixture `name`, with
   * `permissions` (all by default).
   */
  constructor(
    name: string,
    args: string[],
    command: "run" | "test" = "run",
    permissions: string[] = ["--allow-all"],
  ) {
    const script = new URL(`./${name}`, import.meta.url).pathname;
    const rest = command === "test" ? ["--", ...args] : args;
    this.child = new Deno.Command(Deno.execPath(), {
      args: [command, ...permissions, script, ...rest],
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#reading = this.#read();
  }

  async #read(): Promise<void> {
    let rest = "";
    for await (const chunk of this.child.stdout.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      let end: number;
      while ((end = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, end);
        rest = rest.slice(end + 1);
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((w) => {
          if (!w.test(line)) return true;
          w.resolve(line);
          return false;
        });
      }
    }
  }

  /** Resolves with the first line (already printed or coming) that starts with `prefix`. */
  line(prefix: string): Promise<string> {
    const found = this.lines.find((line) => line.startsWith(prefix));
    if (found !== undefined) return Promise.resolve(found);
    const { promise, resolve } = Promise.withResolvers<string>();
    this.#waiters.push({ test: (line) => line.startsWith(prefix), resolve });
    return promise;
  }

  /** Closes the script's stdin: the scripts stop when it ends. */
  async closeStdin(): Promise<void> {
    await this.child.stdin.close();
  }

  /** Waits for the script to exit (after its output was read) and returns its status. */
  async status(): Promise<Deno.CommandStatus> {
    const status = await this.child.status;
    await this.#reading;
    return status;
  }

  /** Kills the script if it still runs, and waits for it. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // already exited
    }
    try {
      await this.child.stdin.close();
    } catch {
      // already closed
    }
    await this.status();
  }
}

/** Rejects after `ms` with `what`: a guard that fails a hung test, never a synchronisation. */
export function guard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
