// README "Events of the event loop": started, active, idle, stopped (and exception).
import { connect, EventLoop } from "@mreventloop/core";

const loop = new EventLoop();
for (const name of ["started", "active", "idle", "stopped"] as const) {
  connect(loop, name, () => console.log(name));
}
{
  await using _ = loop.start();
  loop.enqueue(() => console.log("a queued call"));
}
