/**
 * A peer process streaming events: `stream_peer.ts publisher|subscriber <in> <out>`. The
 * publisher publishes `tick` without pause, the subscriber receives them; both print `lost …`
 * when `brokerLost` fires, and stop when their stdin ends, printing `stopped`.
 *
 * @module
 */

import { Peer } from "@mreventloop/core/sockets";

const [role, inEndpoint, outEndpoint] = Deno.args;
const stdinEnded = (async () => {
  for await (const _ of Deno.stdin.readable) {
    // until stdin ends
  }
})();
let ended = false;
stdinEnded.then(() => ended = true);
{
  await using peer = await new Peer(
    inEndpoint,
    outEndpoint,
    role === "subscriber" ? ["tick"] : [],
    role === "publisher" ? ["tick"] : [],
    { heartbeat: 50, stopTimeout: 300 },
  ).start();
  peer.brokerLost.addListener((error) => console.log(`lost ${error.message}`));
  console.log("started");
  if (role === "subscriber") {
    let received = 0;
    peer.events.tick.addListener(() => {
      if (received++ === 0) console.log("receiving");
    });
    await stdinEnded;
  } else {
    for (let n = 0; !ended;) {
      for (const end = n + 100; n < end; n++) peer.publish.tick(n);
      await Promise.race([peer.flush(), stdinEnded]);
    }
  }
}
console.log("stopped");
