/**
 * `ping_rounds.ts <in> <out> <rounds>`: each round starts a fresh peer, publishes `pong(round)` at
 * once, and waits for `ping(round)`, which the test publishes from a fresh peer of its own right
 * after that peer started. Prints `done` after the last round; a lost event times out.
 *
 * @module
 */

import { Peer } from "@mreventloop/core/sockets";
import { SyncEvent } from "@mreventloop/core";

const [inEndpoint, outEndpoint, rounds] = Deno.args;
for (let round = 0; round < Number(rounds); round++) {
  await using peer = await new Peer<{ ping: [round: number] }, { pong: [round: number] }>(
    inEndpoint,
    outEndpoint,
    ["ping"],
    ["pong"],
  ).start();
  const ping = new SyncEvent(peer.events.ping, { timeout: 10_000 });
  peer.publish.pong(round);
  const received = await ping;
  if (received !== round) throw new Error(`round ${round}: received ping(${received})`);
}
console.log("done");
