// Times llama.cpp, through node-llama-cpp's prebuilt CPU binaries, the way llama-bench (and `infer4j bench`) do:
// random token ids, an empty context for every run, one untimed warm-up run, then timed repetitions of
//   ppN: N prompt tokens evaluated in one batch, logits for the last one;
//   tgN: N tokens evaluated one per step, logits for each.
// node-llama-cpp ships no llama-bench binary, hence this script. Logits are requested with a greedy pick of the
// next token: that makes llama.cpp run the output layer, as llama-bench's decode calls do.
//
// Usage: node llamacpp-bench.mjs NODE_LLAMA_CPP_DIR MODEL PROMPT_TOKENS GEN_TOKENS THREADS REPETITIONS
// Prints one JSON object per test on stdout, with llama-bench's field names: test ("pp512"), samples_ts, avg_ts,
// stddev_ts, and the peak RSS of this node process (llama.cpp runs inside it).
import {createRequire} from "node:module";
import path from "node:path";
import {pathToFileURL} from "node:url";

const [installDir, modelPath, promptArg, genArg, threadsArg, repetitionsArg] = process.argv.slice(2);
if (repetitionsArg === undefined) {
    console.error("usage: node llamacpp-bench.mjs NODE_LLAMA_CPP_DIR MODEL PROMPT_TOKENS GEN_TOKENS THREADS REPETITIONS");
    process.exit(2);
}
const [promptTokens, genTokens, threads, repetitions] = [promptArg, genArg, threadsArg, repetitionsArg].map(Number);

const entry = createRequire(path.join(path.resolve(installDir), "package.json")).resolve("node-llama-cpp");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(entry).href);

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads});
const model = await llama.loadModel({modelPath, gpuLayers: 0, useMmap: true});
const context = await model.createContext({
    contextSize: promptTokens + genTokens,
    batchSize: Math.max(promptTokens, 1),
    threads: {ideal: threads, min: threads},
    flashAttention: false
});
const sequence = context.getSequence();
const vocabulary = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length;
if (!(vocabulary > 0)) {
    throw new Error(`${modelPath}: no tokenizer.ggml.tokens, so no token ids to feed`);
}

// A fixed-seed generator (mulberry32), so that every run feeds the same kind of ids without Math.random.
let state = 1234;
function randomToken() {
    state = (state + 0x6D2B79F5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % vocabulary;
}

const withLogits = token => [token, {generateNext: {token: true, options: {temperature: 0}}}];

async function timeOnce(kind, count) {
    const tokens = Array.from({length: count}, randomToken);
    await sequence.clearHistory();
    const start = process.hrtime.bigint();
    if (kind === "pp") {
        await sequence.controlledEvaluate([...tokens.slice(0, -1), withLogits(tokens[count - 1])]);
    } else {
        for (const token of tokens) {
            await sequence.controlledEvaluate([withLogits(token)]);
        }
    }
    return Number(process.hrtime.bigint() - start);
}

async function run(kind, count) {
    await timeOnce(kind, count);
    const samples = [];
    for (let r = 0; r < repetitions; r++) {
        samples.push(count * 1e9 / await timeOnce(kind, count));
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const variance = samples.length < 2 ? 0
        : samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1);
    console.log(JSON.stringify({
        model_type: model.typeDescription, test: kind + count, n_threads: threads, samples_ts: samples,
        avg_ts: mean, stddev_ts: Math.sqrt(variance), peak_rss_bytes: process.resourceUsage().maxRSS * 1024
    }));
}

if (promptTokens > 0) {
    await run("pp", promptTokens);
}
if (genTokens > 0) {
    await run("tg", genTokens);
}
await context.dispose();
await model.dispose();
await llama.dispose();
