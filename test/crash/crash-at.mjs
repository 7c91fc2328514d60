// Preloaded into the production server by the crash proof (`node --import`): with
// HOLDFAST_CRASH_AT set (`{"step":"capture","phase":"action","when":"after"}`), the process kills
// itself with SIGKILL at that saga step boundary, published by the saga runner on its
// diagnostics channel: no cleanup, no finally blocks, exactly like a machine dying.
import diagnostics_channel from "node:diagnostics_channel";

const crashAt = process.env.HOLDFAST_CRASH_AT ? JSON.parse(process.env.HOLDFAST_CRASH_AT) : null;
if (crashAt) {
  diagnostics_channel.subscribe("holdfast:saga:boundary", (b) => {
    if (b.step === crashAt.step && b.phase === crashAt.phase && b.when === crashAt.when) process.kill(process.pid, "SIGKILL");
  });
}
