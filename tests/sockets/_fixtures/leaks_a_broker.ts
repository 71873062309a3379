/**
 * `deno test` runs this test, which starts a broker on `<inEndpoint> <outEndpoint>` (after `--`)
 * and never stops it: `deno test` must still exit, without crashing. (With zeromq.js's
 * `zmq.Proxy` as the relay, it crashed with SIGSEGV at exit.)
 *
 * @module
 */

import { Broker, socketAccounting } from "@mreventloop/core/sockets";

Deno.test("leaves a broker running", async () => {
  const [inEndpoint, outEndpoint] = Deno.args;
  await new Broker(inEndpoint, outEndpoint).start();
  console.log(`left running ${JSON.stringify(socketAccounting())}`);
});
