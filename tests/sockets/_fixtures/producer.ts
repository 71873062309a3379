/**
 * `producer.ts <in> <out> <id> <count>`: publishes `tick(id, 0)` … `tick(id, count - 1)` as fast
 * as backpressure allows, then stops (which waits for the broker to confirm delivery).
 *
 * @module
 */

import { Peer } from "@mreventloop/core/sockets";

const [inEndpoint, outEndpoint, id, count] = Deno.args;
{
  await using peer = await new Peer(inEndpoint, outEndpoint, [], ["tick"]).start();
  peer.brokerLost.addListener((error) => console.log(`lost ${error.message}`));
  console.log("started");
  const total = Number(count);
  for (let i = 0; i < total;) {
    for (const end = Math.min(total, i + 1000); i < end; i++) peer.publish.tick(id, i);
    await peer.flush();
  }
  console.log("published");
}
console.log("stopped");
