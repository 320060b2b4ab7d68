// Summarizes the runs of compare-llamacpp.sh: every timed sample of each engine per test, pooled over rounds, as
// mean ± sample standard deviation, and Infer4j's speed as a fraction of llama.cpp's.
//
// Usage: node summarize-comparison.mjs RUNS_DIR MODEL THREADS ROUNDS REPETITIONS
// RUNS_DIR holds infer4j-N.json (`infer4j bench --json` arrays) and llamacpp-N.jsonl (llamacpp-bench.mjs lines).
import fs from "node:fs";
import path from "node:path";

const [runsDir, model, threads, rounds, repetitions] = process.argv.slice(2);

function records(prefix) {
    const found = [];
    const round = file => Number(file.match(/-(\d+)\./)[1]);
    for (const file of fs.readdirSync(runsDir).filter(f => f.startsWith(prefix)).sort((a, b) => round(a) - round(b))) {
        const text = fs.readFileSync(path.join(runsDir, file), "utf8").trim();
        found.push(...(text.startsWith("[") ? JSON.parse(text) : text.split("\n").map(line => JSON.parse(line))));
    }
    return found;
}

function pooled(engineRecords, test) {
    const samples = engineRecords.filter(r => r.test === test).flatMap(r => r.samples_ts);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const variance = samples.length < 2 ? 0 : samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1);
    return {mean, stddev: Math.sqrt(variance), count: samples.length};
}

const llamacpp = records("llamacpp-");
const infer4j = records("infer4j-");
const tests = [...new Set(infer4j.map(r => r.test))];
const mib = bytes => (bytes / 1048576).toFixed(0) + " MiB";
const speed = s => `${s.mean.toFixed(2)} ± ${s.stddev.toFixed(2)}`;
const peak = list => Math.max(...list.map(r => r.peak_rss_bytes));

console.log(`model: ${model} (${infer4j[0].model_type}, Infer4j backend ${infer4j[0].backend})`);
console.log(`threads: ${threads}; ${rounds} rounds x ${repetitions} timed runs per engine, engines alternating`);
console.log("");
console.log("| test | llama.cpp t/s | Infer4j t/s | Infer4j / llama.cpp |");
console.log("| --- | ---: | ---: | ---: |");
for (const test of tests) {
    const theirs = pooled(llamacpp, test);
    const ours = pooled(infer4j, test);
    console.log(`| ${test} | ${speed(theirs)} | ${speed(ours)} | ${(ours.mean / theirs.mean).toFixed(2)} |`);
}
console.log("");
// Each run's mean in run order shows whether the machine's load changed while it was measured.
for (const test of tests) {
    const runs = list => list.filter(r => r.test === test).map(r => r.avg_ts.toFixed(2)).join(", ");
    console.log(`${test} per run: llama.cpp ${runs(llamacpp)}; Infer4j ${runs(infer4j)}`);
}
console.log(`peak RSS: llama.cpp ${mib(peak(llamacpp))} (its node process), Infer4j ${mib(peak(infer4j))}`);
