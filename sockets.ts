/**
 * Crossing sockets: the same events and slots, across processes and machines. A `Broker` relays
 * events between any number of `Peer`s over ZeroMQ; `peer.publish.<name>(...)` publishes, and
 * every peer subscribed to `<name>` emits it on `peer.events`, connectable like any event.
 *
 * - Endpoints: the broker and every peer take the same two endpoints in the same order, `ipc://`
 *   paths or `tcp://` addresses. Peers receive from the first and publish to the second.
 * - Lossless: a full queue anywhere is waited out (backpressure), never dropped; a subscriber that
 *   falls behind slows the publishers of what it subscribed to.
 * - Filtered at the broker: a peer receives only the events it subscribed to.
 * - No slow joiners: once `start()` resolves, what a peer publishes reaches every started peer.
 * - Going away: a peer's `stop()` waits until the broker confirmed it relayed everything; a peer
 *   whose broker stops answering reports it on `brokerLost` (ZeroMQ reconnects by itself when a
 *   broker comes back); a broker's `stop()` ends its relay after the message in flight, lets
 *   ZeroMQ deliver what it relayed for up to `linger` ms, then closes: stop peers first.
 * - Safe lifetimes: `await using` stops brokers and peers; nothing stays open or pending, and
 *   `socketAccounting()` shows it.
 * - Wire-compatible with Python MrEventLoop: one JSON-RPC 2.0 request per frame, as `json.dumps`
 *   writes it (`{"jsonrpc": "2.0", "method": "produced", "params": ["cake"], "id": 1}`); events
 *   of one name published in one tick travel as one JSON-RPC batch, a single frame.
 *
 * Needs `--allow-ffi` (ZeroMQ is a native module) and runs on Linux and macOS.
 *
 * @example A broker and two peers
 * ```ts
 * import { Broker, Peer, socketAccounting } from "@mreventloop/core/sockets";
 * import { SyncEvent } from "@mreventloop/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
 * {
 *   await using _broker = await new Broker(inEndpoint, outEndpoint).start();
 *   await using consumer = await new Peer(inEndpoint, outEndpoint, ["request_product"], [])
 *     .start();
 *   await using producer = await new Peer(inEndpoint, outEndpoint, [], ["request_product"])
 *     .start();
 *   const request = new SyncEvent(consumer.events.request_product, { timeout: 5000 });
 *   producer.publish.request_product("cake", 2);
 *   assert.deepEqual(await request, ["cake", 2]);
 * }
 * assert.deepEqual(socketAccounting(), { openSockets: 0, pendingOperations: 0 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./src/sockets/broker.ts";
export * from "./src/sockets/peer.ts";
export * from "./src/sockets/errors.ts";
export * from "./src/sockets/accounting.ts";
