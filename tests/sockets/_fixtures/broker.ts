/**
 * A broker process: `broker.ts <inEndpoint> <outEndpoint>` prints `ready <in> <out>` once bound,
 * and stops when its stdin ends.
 *
 * @module
 */

import { Broker } from "@mreventloop/core/sockets";

const [inEndpoint, outEndpoint] = Deno.args;
await using broker = await new Broker(inEndpoint, outEndpoint).start();
console.log(`ready ${broker.inEndpoint} ${broker.outEndpoint}`);
for await (const _ of Deno.stdin.readable) {
  // runs until stdin ends
}
