package io.github.infer4j.testkit;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the Hugging Face folder a GGUF file of one of the supported families (F32, F16 or BF16 tensors, e.g.
 * from {@link io.github.infer4j.synthetic.SyntheticLlama}) was converted from: {@code config.json} with the keys
 * Transformers writes for that model class, the tokenizer files ({@link HfTokenizerFiles}) and the tensors under
 * their Hugging Face names in safetensors files, each in its GGUF type, undoing what llama.cpp's converter does:
 * Llama's Q and K rows are put back into Hugging Face's halves layout, and Gemma's norm weights lose the 1 the
 * converter adds. Loading the folder must therefore give exactly the model of the GGUF file.
 */
public final class HfFolderWriter {
    private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LLAMA_NAMES = Map.of(
            "attn_norm.weight", "input_layernorm.weight",
            "attn_q.weight", "self_attn.q_proj.weight",
            "attn_k.weight", "self_attn.k_proj.weight",
            "attn_v.weight", "self_attn.v_proj.weight",
            "attn_output.weight", "self_attn.o_proj.weight",
            "ffn_norm.weight", "post_attention_layernorm.weight",
            "ffn_gate.weight", "mlp.gate_proj.weight",
            "ffn_up.weight", "mlp.up_proj.weight",
            "ffn_down.weight", "mlp.down_proj.weight");
    private static final Map<String, String> QK_NORM_NAMES = Map.of(
            "attn_q_norm.weight", "self_attn.q_norm.weight",
            "attn_k_norm.weight", "self_attn.k_norm.weight");
    private static final Map<String, String> GEMMA_NAMES = Map.of(
            "attn_norm.weight", "input_layernorm.weight",
            "post_attention_norm.weight", "post_attention_layernorm.weight",
            "ffn_norm.weight", "pre_feedforward_layernorm.weight",
            "post_ffw_norm.weight", "post_feedforward_layernorm.weight");
    private static final Map<String, Map<String, String>> LAYER_NAMES = Map.of(
            "llama", LLAMA_NAMES,
            "qwen2", merge(LLAMA_NAMES, Map.of(
                    "attn_q.bias", "self_attn.q_proj.bias",
                    "attn_k.bias", "self_attn.k_proj.bias",
                    "attn_v.bias", "self_attn.v_proj.bias")),
            "qwen3", merge(LLAMA_NAMES, QK_NORM_NAMES),
            "gemma2", merge(LLAMA_NAMES, GEMMA_NAMES),
            "gemma3", merge(merge(LLAMA_NAMES, GEMMA_NAMES), QK_NORM_NAMES),
            "phi3", Map.of(
                    "attn_norm.weight", "input_layernorm.weight",
                    "attn_qkv.weight", "self_attn.qkv_proj.weight",
                    "attn_output.weight", "self_attn.o_proj.weight",
                    "ffn_norm.weight", "post_attention_layernorm.weight",
                    "ffn_up.weight", "mlp.gate_up_proj.weight",
                    "ffn_down.weight", "mlp.down_proj.weight"));
    private static final Map<String, String> MODEL_CLASSES = Map.of(
            "llama", "LlamaForCausalLM", "qwen2", "Qwen2ForCausalLM", "qwen3", "Qwen3ForCausalLM",
            "gemma2", "Gemma2ForCausalLM", "gemma3", "Gemma3ForCausalLM", "phi3", "Phi3ForCausalLM");
    private static final Map<String, String> GLOBAL_NAMES = Map.of(
            "token_embd.weight", "model.embed_tokens.weight",
            "output_norm.weight", "model.norm.weight",
            "output.weight", "lm_head.weight");
    /** A tensor of the vision tower a multimodal Gemma 3 folder carries, which loading must leave out. */
    private static final String VISION_TENSOR = "vision_tower.vision_model.post_layernorm.weight";

    private final Path gguf;
    private int shards = 1;
    private boolean index = true;
    private boolean multimodal;
    private HfTokenizerFiles.Style tokenizerStyle = HfTokenizerFiles.Style.CLASSIC;

    private HfFolderWriter(Path gguf) {
        this.gguf = gguf;
    }

    public static HfFolderWriter from(Path gguf) {
        return new HfFolderWriter(gguf);
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> more) {
        Map<String, String> names = new LinkedHashMap<>(base);
        names.putAll(more);
        return Map.copyOf(names);
    }

    /** Spreads the tensors over this many safetensors files; default 1. */
    public HfFolderWriter shards(int shards) {
        this.shards = shards;
        return this;
    }

    /** Whether several shards come with a model.safetensors.index.json; default true. */
    public HfFolderWriter index(boolean index) {
        this.index = index;
        return this;
    }

    /**
     * For a gemma3 file: write it as Gemma3ForConditionalGeneration, the language model's settings in
     * {@code text_config} and its tensors under {@code language_model.}, next to a vision tensor; default false.
     */
    public HfFolderWriter multimodal(boolean multimodal) {
        this.multimodal = multimodal;
        return this;
    }

    /** How an SPM tokenizer is exported; default {@link HfTokenizerFiles.Style#CLASSIC}. */
    public HfFolderWriter tokenizerStyle(HfTokenizerFiles.Style style) {
        this.tokenizerStyle = style;
        return this;
    }

    /** Writes the folder (created if needed) and returns it. */
    public Path write(Path folder) {
        try (GgufFile file = GgufFile.open(gguf)) {
            Files.createDirectories(folder);
            GgufMetadata meta = file.metadata();
            String arch = meta.getString("general.architecture");
            if (multimodal && !arch.equals("gemma3")) {
                throw new IllegalArgumentException("only gemma3 has a multimodal model class, not " + arch);
            }
            List<GgufTensorInfo> infos = file.tensorInfos();
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int s = 0; s < shards; s++) {
                String name = shards == 1 ? "model.safetensors"
                        : String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
                for (int i = s * infos.size() / shards; i < (s + 1) * infos.size() / shards; i++) {
                    Tensor t = file.tensor(infos.get(i).name());
                    String hfName = (multimodal ? "language_model." : "") + hfName(arch, t.name());
                    writer.addRaw(hfName, t.type().name(), shape(t), bytes(t, meta, arch));
                    weightMap.put(hfName, name);
                }
                if (multimodal && s == 0) {
                    writer.add(VISION_TENSOR, DType.F32, new long[] {4}, new float[4]);
                    weightMap.put(VISION_TENSOR, name);
                }
                writer.write(folder.resolve(name));
            }
            if (shards > 1 && index) {
                writeIndex(folder, weightMap);
            }
            HfTokenizerFiles.writeString(folder.resolve("config.json"), config(meta, file, arch));
            HfTokenizerFiles.write(meta, folder, tokenizerStyle);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hfName(String arch, String ggufName) {
        String global = GLOBAL_NAMES.get(ggufName);
        if (global != null) {
            return global;
        }
        Matcher m = LAYER.matcher(ggufName);
        Map<String, String> names = LAYER_NAMES.get(arch);
        if (names == null || !m.matches() || !names.containsKey(m.group(2))) {
            throw new IllegalArgumentException("no Hugging Face name for " + ggufName + " of " + arch);
        }
        return "model.layers." + m.group(1) + "." + names.get(m.group(2));
    }

    private static long[] shape(Tensor t) {
        long[] dims = t.dims();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[dims.length - 1 - i];
        }
        return shape;
    }

    /**
     * The tensor's bytes; for Llama's Q and K, rows in the halves layout: row h*hd + t*hd/2 + j is GGUF row
     * h*hd + 2j + t; for Gemma's norms, the file's weights minus 1.
     */
    private static byte[] bytes(Tensor t, GgufMetadata meta, String arch) {
        if (t.type().isQuantized()) {
            throw new IllegalArgumentException(t.name() + " is " + t.type() + "; safetensors folders hold floats");
        }
        if (arch.startsWith("gemma") && t.name().endsWith("norm.weight")) {
            return unshifted(t);
        }
        byte[] raw = t.data().toArray(ValueLayout.JAVA_BYTE);
        boolean query = t.name().endsWith(".attn_q.weight");
        if (!arch.equals("llama") || !query && !t.name().endsWith(".attn_k.weight")) {
            return raw;
        }
        int heads = meta.getInt(query ? "llama.attention.head_count" : "llama.attention.head_count_kv");
        int rowBytes = Math.toIntExact(t.rowBytes());
        int headDim = Math.toIntExact(t.rows() / heads);
        byte[] out = new byte[raw.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < headDim / 2; j++) {
                for (int half = 0; half < 2; half++) {
                    int from = h * headDim + 2 * j + half;
                    int to = h * headDim + half * headDim / 2 + j;
                    System.arraycopy(raw, from * rowBytes, out, to * rowBytes, rowBytes);
                }
            }
        }
        return out;
    }

    /** {@code g - 1} of each F32 weight {@code g}, refusing any whose shift back would not give {@code g} exactly. */
    private static byte[] unshifted(Tensor t) {
        if (t.type() != DType.F32) {
            throw new IllegalArgumentException(t.name() + " is " + t.type() + "; norms are F32");
        }
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        long n = t.elementCount();
        byte[] out = new byte[Math.toIntExact(n * Float.BYTES)];
        MemorySegment target = MemorySegment.ofArray(out);
        for (long i = 0; i < n; i++) {
            float w = t.data().getAtIndex(f32, i);
            float shifted = w - 1f;
            if (shifted + 1f != w) {
                throw new IllegalArgumentException(t.name() + "[" + i + "] = " + w + " does not survive w - 1 + 1");
            }
            target.setAtIndex(f32, i, shifted);
        }
        return out;
    }

    private String config(GgufMetadata meta, GgufFile file, String arch) {
        List<String> tokens = meta.getStringList("tokenizer.ggml.tokens");
        String dtype = switch (file.tensor("token_embd.weight").type()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        };
        String a = arch + ".";
        int dim = meta.getInt(a + "embedding_length");
        int heads = meta.getInt(a + "attention.head_count");
        int headDim = meta.getInt(a + "attention.key_length", dim / heads);
        List<String> text = new ArrayList<>(List.of(
                "\"model_type\":\"" + (arch.equals("gemma3") ? "gemma3_text" : arch) + "\"",
                "\"hidden_size\":" + dim,
                "\"intermediate_size\":" + meta.getInt(a + "feed_forward_length"),
                "\"num_hidden_layers\":" + meta.getInt(a + "block_count"),
                "\"num_attention_heads\":" + heads,
                "\"num_key_value_heads\":" + meta.getInt(a + "attention.head_count_kv"),
                "\"max_position_embeddings\":" + meta.getInt(a + "context_length"),
                // The float's exact value as a double, so that reading it back as float32 gives the same bits.
                "\"rms_norm_eps\":" + (double) meta.getFloat(a + "attention.layer_norm_rms_epsilon"),
                "\"rope_theta\":" + (double) meta.getFloat(a + "rope.freq_base", 10000f),
                "\"rope_scaling\":null",
                "\"vocab_size\":" + tokens.size(),
                "\"tie_word_embeddings\":" + !file.hasTensor("output.weight"),
                "\"torch_dtype\":\"" + dtype + "\""));
        if (meta.contains(a + "attention.key_length") || arch.startsWith("gemma")) {
            text.add("\"head_dim\":" + headDim);
        }
        text.addAll(switch (arch) {
            case "llama" -> List.of("\"hidden_act\":\"silu\"", "\"attention_bias\":false", "\"mlp_bias\":false");
            case "qwen2" -> List.of("\"hidden_act\":\"silu\"", "\"use_sliding_window\":false",
                    "\"sliding_window\":4096", "\"max_window_layers\":" + meta.getInt(a + "block_count"));
            case "qwen3" -> List.of("\"hidden_act\":\"silu\"", "\"attention_bias\":false",
                    "\"use_sliding_window\":false");
            case "gemma2" -> List.of("\"hidden_act\":\"gelu_pytorch_tanh\"",
                    "\"hidden_activation\":\"gelu_pytorch_tanh\"", "\"attention_bias\":false",
                    "\"query_pre_attn_scalar\":" + headDim,
                    "\"sliding_window\":" + meta.getInt(a + "attention.sliding_window"),
                    "\"attn_logit_softcapping\":" + (double) meta.getFloat(a + "attn_logit_softcapping"),
                    "\"final_logit_softcapping\":" + (double) meta.getFloat(a + "final_logit_softcapping"));
            // Without a window every Gemma 3 layer is global: one global layer in a pattern of 1.
            case "gemma3" -> List.of("\"hidden_activation\":\"gelu_pytorch_tanh\"", "\"attention_bias\":false",
                    "\"query_pre_attn_scalar\":" + headDim,
                    "\"sliding_window\":" + meta.getInt(a + "attention.sliding_window", 4096),
                    "\"sliding_window_pattern\":" + (meta.contains(a + "attention.sliding_window") ? 6 : 1),
                    "\"rope_local_base_freq\":" + (double) meta.getFloat(a + "rope.freq_base_swa", 10000f),
                    "\"attn_logit_softcapping\":null",
                    "\"final_logit_softcapping\":" + (meta.contains(a + "final_logit_softcapping")
                            ? String.valueOf((double) meta.getFloat(a + "final_logit_softcapping")) : "null"));
            case "phi3" -> List.of("\"hidden_act\":\"silu\"", "\"sliding_window\":2047",
                    "\"original_max_position_embeddings\":" + meta.getInt(a + "context_length"));
            default -> throw new IllegalArgumentException("no Hugging Face config for " + arch);
        });
        List<String> members = new ArrayList<>();
        if (multimodal) {
            members.add("\"architectures\":[\"Gemma3ForConditionalGeneration\"]");
            members.add("\"model_type\":\"gemma3\"");
            members.add("\"text_config\":{" + String.join(",", text) + "}");
            members.add("\"vision_config\":{\"model_type\":\"siglip_vision_model\"}");
        } else {
            members.add("\"architectures\":[\"" + MODEL_CLASSES.get(arch) + "\"]");
            members.addAll(text);
        }
        for (String name : new String[] {"bos", "eos"}) {
            String key = "tokenizer.ggml." + name + "_token_id";
            if (meta.contains(key)) {
                members.add("\"" + name + "_token_id\":" + meta.getInt(key));
            }
        }
        return "{" + String.join(",", members) + "}";
    }

    private static void writeIndex(Path folder, Map<String, String> weightMap) {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"total_size\":0},\"weight_map\":{");
        String separator = "";
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            json.append(separator).append(JsonText.quote(e.getKey())).append(':').append(JsonText.quote(e.getValue()));
            separator = ",";
        }
        HfTokenizerFiles.writeString(folder.resolve("model.safetensors.index.json"), json.append("}}").toString());
    }
}
