// The original Ratchet's streaming example: a long-running operation in steps that reports
// its progress as it goes. Progress goes to globalThis.reportProgress when the host provides
// one, else to the run's log with console.log.
//
// Ratchet has no timers and a task should not spin the CPU, so the steps take simulated
// time: each one advances a clock, which starts at input.start_time (default: now), by
// `delay` ms. The step values are derived from the step number, not Math.random, so the
// output is reproducible and testable.

class ProgressReporter {
    constructor(clock) {
        this.clock = clock;
    }

    report(progress, step, message, data = {}) {
        const update = {
            progress: Math.max(0, Math.min(1, progress)),
            step,
            message,
            data,
            timestamp: this.clock.now()
        };
        if (typeof globalThis.reportProgress === 'function') {
            globalThis.reportProgress(update);
        } else {
            console.log(`Progress: ${(update.progress * 100).toFixed(1)}% - ${step}: ${message}`);
        }
    }
}

class SimulatedClock {
    constructor(start) {
        this.ms = start === undefined ? Date.now() : Date.parse(start);
        if (Number.isNaN(this.ms)) {
            throw new ValidationError(`start_time is not an ISO 8601 date-time: ${start}`);
        }
    }

    advance(ms) {
        this.ms += ms;
    }

    now() {
        return new Date(this.ms).toISOString();
    }
}

const round2 = (x) => Math.round(x * 100) / 100;
// A stand-in for a measured value, between 0 and 100.
const valueOf = (step) => ((step * 7919) % 10000) / 100;

(function (input, context) {
    const { steps = 5, delay = 1000, simulate_error = false, start_time } = input;
    const clock = new SimulatedClock(start_time);
    const progress = new ProgressReporter(clock);

    progress.report(0.0, 'initialization', 'Starting streaming example task', {
        input_steps: steps,
        input_delay: delay
    });

    const results = [];
    for (let i = 0; i < steps; i++) {
        const step = i + 1;
        const stepProgress = step / steps;
        progress.report(stepProgress * 0.8, `step_${step}`, `Processing step ${step} of ${steps}`, {
            current_step: step,
            total_steps: steps,
            items_processed: i
        });

        clock.advance(delay); // the work of this step

        if (simulate_error && i === Math.floor(steps / 2)) {
            progress.report(stepProgress * 0.5, 'error', `Simulated error at step ${step}`, {
                error_type: 'simulation',
                error_step: step
            });
            throw new Error(`Simulated error at step ${step}`);
        }

        const result = { step, timestamp: clock.now(), data: `Result from step ${step}`, value: valueOf(step) };
        results.push(result);
        progress.report(stepProgress, `step_${step}_complete`, `Completed step ${step}`, result);
    }

    progress.report(0.95, 'finalizing', 'Finalizing results and cleanup', {
        total_results: results.length,
        processing_complete: true
    });

    const output = {
        success: true,
        steps_completed: steps,
        total_processing_time: steps * delay,
        results,
        summary: {
            total_steps: steps,
            successful_steps: results.length,
            average_value: round2(results.reduce((sum, { value }) => sum + value, 0) / results.length),
            first_result: results[0],
            last_result: results[results.length - 1]
        },
        metadata: {
            task_completed_at: clock.now(),
            execution_context: context
        }
    };

    progress.report(1.0, 'completed', 'Task completed successfully', {
        output_size: JSON.stringify(output).length,
        final_result: output.summary
    });
    return output;
})
