// Greedy continuation of a prompt given as token ids, computed by llama.cpp through node-llama-cpp.
// Usage: node llamacpp-greedy.mjs <node-llama-cpp install dir> <model.gguf> <id,id,...> <count> <F32|F16>
// Prints one JSON line {"tokens": [...], "probabilities": [[...], ...]}: the greedy ids (end-of-generation tokens
// included, generation goes on past them) and, for each, the softmax of the logits it was chosen from, by token id.
// Temperature 0 and no penalties, flash attention off, KV cache of the given type, one CPU thread.
import path from "node:path";
import {pathToFileURL} from "node:url";

const [toolDir, modelPath, promptIds, count, kvType] = process.argv.slice(2);
const entry = path.join(toolDir, "node_modules", "node-llama-cpp", "dist", "index.js");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(entry).href);

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({
    contextSize: 256, batchSize: 64, threads: 1, flashAttention: false,
    experimentalKvCacheKeyType: kvType, experimentalKvCacheValueType: kvType
});
const sequence = context.getSequence();
const prompt = promptIds.split(",").map(Number);
const vocabulary = model.tokens.vocabularySize ?? model.vocabularySize;
const tokens = [];
const probabilities = [];
for await (const step of sequence.evaluateWithMetadata(prompt, {probabilities: true},
        {temperature: 0, yieldEogToken: true})) {
    tokens.push(step.token);
    const p = new Array(vocabulary).fill(0);
    for (const [token, probability] of step.probabilities) {
        p[token] = probability;
    }
    probabilities.push(p);
    if (tokens.length >= Number(count)) {
        break;
    }
}
console.log(JSON.stringify({tokens, probabilities}));
await context.dispose();
await model.dispose();
await llama.dispose();
