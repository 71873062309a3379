/**
 * A broker and a peer that are never stopped; the script ends with `Deno.exit(0)`, which must end
 * the process with code 0, neither hanging on the relay thread nor crashing in ZeroMQ's teardown
 * (at `unload` the sockets module tells the relay thread to end, and stops driving its sockets).
 *
 * @module
 */

import { Broker, Peer } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";

const dir = await Deno.makeTempDir();
const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
const broker = await new Broker(inEndpoint, outEndpoint).start();
const peer = await new Peer(inEndpoint, outEndpoint, ["tick"], ["tick"]).start();
const tick = new SyncEvent(peer.events.tick, { timeout: 10_000 });
peer.publish.tick(1);
await tick;
console.log(`relayed, broker on ${broker.inEndpoint}`);
await Deno.remove(dir, { recursive: true });
Deno.exit(0);
