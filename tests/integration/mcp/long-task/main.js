// A task that takes its time: a busy wait checked against Date.now(), one console line per
// second, so that MCP clients see progress (and can cancel it) while it runs.
function main({ seconds }) {
    const start = Date.now();
    let ticks = 0;
    while (ticks < seconds) {
        const next = start + (ticks + 1) * 1000;
        while (Date.now() < next) {
            // busy: MuJS has no timers to sleep on
        }
        ticks++;
        console.log(`tick ${ticks} of ${seconds}`);
    }
    return { ticks };
}
