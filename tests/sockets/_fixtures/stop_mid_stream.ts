/**
 * A broker stopped by `stop()` while a producer streams events through it to a consumer; the peers
 * stop afterwards. Prints the socket accounting after each step and must then exit on its own.
 *
 * A script that never stops its broker does not exit: the relay thread is a native operation in
 * flight, which keeps Deno's event loop alive, and `unload` fires only once that loop is idle, so
 * nothing in the process can tell that the script is done (see `Broker`).
 *
 * @module
 */

import { Broker, Peer, socketAccounting } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";

const dir = await Deno.makeTempDir();
const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
const broker = await new Broker(inEndpoint, outEndpoint).start();
const options = { heartbeat: 50, stopTimeout: 300 };
const consumer = await new Peer(inEndpoint, outEndpoint, ["tick"], [], options).start();
const producer = await new Peer(inEndpoint, outEndpoint, [], ["tick"], options).start();
for (const peer of [consumer, producer]) peer.brokerLost.addListener(() => {});
const flowing = new SyncEvent(consumer.events.tick, { timeout: 10_000 });
const done = Promise.withResolvers<void>();
let stopping = false;
const pumping = (async () => {
  for (let n = 0; !stopping;) {
    for (const end = n + 100; n < end; n++) producer.publish.tick(n);
    await Promise.race([producer.flush(), done.promise]);
  }
})();
await flowing;
await broker.stop();
// the peers' six sockets are all that is left open
console.log(`broker stopped, open sockets: ${socketAccounting().openSockets}`);
stopping = true;
done.resolve();
await pumping;
await producer.stop();
await consumer.stop();
console.log(`peers stopped ${JSON.stringify(socketAccounting())}`);
await Deno.remove(dir, { recursive: true });
