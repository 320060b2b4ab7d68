package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.internal.ConvertedTensors;
import io.github.infer4j.internal.LoadQuantization;
import io.github.infer4j.internal.ModelSource;
import io.github.infer4j.internal.json.Json;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.safetensors.SafetensorsShards;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face model folder ({@code config.json}, {@code tokenizer.json}, optional {@code tokenizer_config.json},
 * and one or more {@code *.safetensors} files in F32, F16 or BF16) presented as if it had been converted to GGUF:
 * the config and the tokenizer become GGUF metadata and the tensors get their GGUF names, so the architectures and
 * tokenizers run it unchanged and compute the same logits as llama.cpp's conversion of the same weights.
 *
 * Model classes: {@code LlamaForCausalLM}, {@code MistralForCausalLM}, {@code Qwen2ForCausalLM},
 * {@code Qwen3ForCausalLM}, {@code Gemma2ForCausalLM}, {@code Gemma3ForCausalLM},
 * {@code Gemma3ForConditionalGeneration} (its language model only) and {@code Phi3ForCausalLM}.
 *
 * <p>Tensors are zero-copy views of the mapped files, except (a) with a {@code quantizeTo} type, where every float
 * matrix is re-encoded off-heap (see {@link LoadQuantization}), (b) Gemma's norm weights, stored as {@code w} of a
 * norm that scales by {@code 1 + w} and copied as {@code 1 + w} in F32 as llama.cpp's converter writes them (small
 * vectors), and (c) for Llama's attn_q and attn_k, whose rows
 * are re-laid into adjacent rotary pairs in an off-heap copy of their own type, exactly as the converter permutes
 * them. That copy takes off-heap memory for the two matrices (a tenth to a sixth of a Llama's weights; their
 * mapped originals are not read again), and nothing extra when quantizing, which copies anyway. The alternative,
 * rotating halves (NeoX mode) on the stored layout, would spare the copy but sum attention scores in another
 * order, so the logits would differ from the GGUF path's in the last bits instead of being identical.
 */
public final class HfModelFolder implements ModelSource {
    static final String CONFIG = "config.json";
    private static final long MAX_CONFIG_BYTES = 16L << 20;
    private static final String EMBEDDINGS = "token_embd.weight";
    private static final String OUTPUT = "output.weight";
    private static final String TIED = "tie_word_embeddings";

    private final Path folder;
    private final SafetensorsShards shards;
    private final ConvertedTensors copies;
    private final GgufMetadata metadata;
    private final Weights weights;

    private HfModelFolder(Path folder, SafetensorsShards shards, ConvertedTensors copies, GgufMetadata metadata,
                          Map<String, Tensor> tensors) {
        this.folder = folder;
        this.shards = shards;
        this.copies = copies;
        this.metadata = metadata;
        this.weights = new NamedWeights(folder, Collections.unmodifiableMap(tensors));
    }

    /**
     * Opens the model in {@code folder}; with a {@code quantizeTo} type (Q8_0 or Q4_0; null keeps the stored types)
     * its matrices are quantized while loading.
     *
     * @throws Infer4jException when a file is missing or malformed, or the model or its tokenizer is of a kind
     *                          Infer4j does not run; the message names the file and the field
     */
    public static HfModelFolder open(Path folder, DType quantizeTo) {
        Path configFile = folder.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new Infer4jException(folder + ": not a model folder: a Hugging Face model folder has a " + CONFIG);
        }
        JsonObject config = Json.readObject(configFile, MAX_CONFIG_BYTES);
        HfArchitecture arch = HfArchitecture.of(config);
        JsonObject text = arch.textConfig(config);
        MetadataBuilder meta = new MetadataBuilder()
                .putString("general.architecture", arch.ggufName())
                .putString("general.name", config.getString("_name_or_path", folder.getFileName().toString()));
        HfHyperParameters.put(arch, text, meta);
        boolean tied = text.getBoolean(TIED, config.getBoolean(TIED, arch.tiesByDefault()));
        SafetensorsShards shards = SafetensorsShards.open(folder);
        ConvertedTensors copies = new ConvertedTensors();
        try {
            // Everything is checked before the tensors are converted, which takes a while for a large model.
            Map<String, String> names = ggufNames(folder, text, arch, shards, tied);
            if (!names.containsValue(EMBEDDINGS)) {
                throw new Infer4jException(folder + ": no model.embed_tokens.weight in the safetensors files");
            }
            if (!names.containsValue(OUTPUT) && !tied) {
                throw (text.has(TIED) ? text : config).invalid(TIED, "is false, but the safetensors files hold no "
                        + HfArchitecture.LM_HEAD);
            }
            String embeddings = names.entrySet().stream().filter(e -> e.getValue().equals(EMBEDDINGS))
                    .findFirst().orElseThrow().getKey();
            HfTokenizer.put(folder, config, Math.toIntExact(shards.tensor(embeddings).rows()), meta);
            GgufMetadata metadata = meta.build(folder);
            Map<String, Tensor> tensors = tensors(folder, metadata, arch, shards, names, copies, quantizeTo);
            return new HfModelFolder(folder, shards, copies, metadata, tensors);
        } catch (RuntimeException | Error e) {
            copies.close();
            shards.close();
            throw e;
        }
    }

    /**
     * The GGUF name of each Hugging Face tensor that is loaded. A stored lm_head is left out when the embeddings
     * are tied, as Transformers then uses the embedding table (Gemma 2 is always tied).
     */
    private static Map<String, String> ggufNames(Path folder, JsonObject config, HfArchitecture arch,
                                                 SafetensorsShards shards, boolean tied) {
        int layers = config.getInt("num_hidden_layers");
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (String hfName : shards.names()) {
            String name = arch.tensorName(hfName, layers, folder.toString());
            if (name == null || name.equals(OUTPUT) && tied) {
                continue;
            }
            String earlier = sources.putIfAbsent(name, hfName);
            if (earlier != null) {
                throw new Infer4jException(folder + ": tensors '" + earlier + "' and '" + hfName + "' are both "
                        + name);
            }
            names.put(hfName, name);
        }
        return names;
    }

    private static Map<String, Tensor> tensors(Path folder, GgufMetadata meta, HfArchitecture arch,
                                               SafetensorsShards shards, Map<String, String> names,
                                               ConvertedTensors copies, DType quantizeTo) {
        int heads = meta.getInt(arch.ggufName() + ".attention.head_count");
        int kvHeads = meta.getInt(arch.ggufName() + ".attention.head_count_kv");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : names.entrySet()) {
            String name = e.getValue();
            Tensor stored = shards.tensor(e.getKey());
            Tensor view = new Tensor(name, stored.type(), stored.dims(), stored.data());
            if (arch.shiftsNorms() && name.endsWith("norm.weight")) {
                tensors.put(name, NormShift.plusOne(view, copies, folder));
                continue;
            }
            int[] rowOrder = null;
            if (arch.halvesRope() && name.endsWith(".attn_q.weight")) {
                rowOrder = RotaryPairs.rowOrder(view, heads, folder);
            } else if (arch.halvesRope() && name.endsWith(".attn_k.weight")) {
                rowOrder = RotaryPairs.rowOrder(view, kvHeads, folder);
            }
            DType type = LoadQuantization.applies(view, quantizeTo) ? quantizeTo : view.type();
            boolean copy = rowOrder != null || type != view.type();
            tensors.put(name, copy ? copies.convert(view, type, rowOrder) : view);
        }
        return tensors;
    }

    /** The translated tensors under their GGUF names. */
    private record NamedWeights(Path folder, Map<String, Tensor> tensors) implements Weights {
        @Override
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new Infer4jException(folder + ": tensor '" + name + "' is missing (no Hugging Face tensor"
                        + " of the folder translates to it)");
            }
            return t;
        }

        @Override
        public Set<String> names() {
            return tensors.keySet();
        }
    }

    @Override
    public Path path() {
        return folder;
    }

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public long fileSize() {
        return shards.byteSize();
    }

    @Override
    public GgufMetadata metadata() {
        return metadata;
    }

    @Override
    public Weights weights() {
        return weights;
    }

    /** Off-heap bytes of the copies made at load (rotary re-layout and quantization). */
    public long copiedBytes() {
        return copies.byteSize();
    }

    @Override
    public void close() {
        copies.close();
        shards.close();
    }
}
