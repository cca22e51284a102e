// One console line every `intervalMs`, `lines` times. MuJS has no timers, so it waits by
// watching the clock (the worker is busy meanwhile; the coordinator relays each line live).
function main({ lines = 5, intervalMs = 500 }) {
    const start = Date.now();
    for (let i = 1; i <= lines; i++) {
        const due = start + i * intervalMs;
        while (Date.now() < due) {
            // busy wait
        }
        console.log(`line ${i} of ${lines}`);
    }
    return { lines };
}
