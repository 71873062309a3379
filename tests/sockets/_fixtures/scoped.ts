/**
 * A broker and two peers in `await using` scopes, exchanging events until the scopes end; prints
 * the socket accounting afterwards and must then exit on its own (nothing calls `Deno.exit`).
 *
 * @module
 */

import { Broker, Peer, socketAccounting } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";

const dir = await Deno.makeTempDir();
{
  const [inEndpoint, outEndpoint] = [`ipc://${dir}/in`, `ipc://${dir}/out`];
  await using _broker = await new Broker(inEndpoint, outEndpoint).start();
  await using consumer = await new Peer(inEndpoint, outEndpoint, ["tick", "end"], []).start();
  await using producer = await new Peer(inEndpoint, outEndpoint, [], ["tick", "end"]).start();
  const end = new SyncEvent(consumer.events.end, { timeout: 10_000 });
  for (let i = 0; i < 1000; i++) producer.publish.tick(i);
  producer.publish.end();
  await end;
  for (let i = 0; i < 1000; i++) producer.publish.tick(i); // still queued when the scopes end
  console.log("scopes ending");
}
console.log(`scopes ended ${JSON.stringify(socketAccounting())}`);
await Deno.remove(dir, { recursive: true });
