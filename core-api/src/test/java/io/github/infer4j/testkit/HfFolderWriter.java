package io.github.infer4j.testkit;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the Hugging Face folder a Llama GGUF file (F32, F16 or BF16 tensors, e.g. from {@link SyntheticLlama})
 * was converted from: {@code config.json}, the tokenizer files ({@link HfTokenizerFiles}) and the tensors under
 * their Hugging Face names in safetensors files, each in its GGUF type and with Q and K rows put back into
 * Hugging Face's halves layout, undoing the permutation llama.cpp's converter applies. Loading the folder must
 * therefore give exactly the model of the GGUF file.
 */
public final class HfFolderWriter {
    private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LAYER_NAMES = Map.of(
            "attn_norm.weight", "input_layernorm.weight",
            "attn_q.weight", "self_attn.q_proj.weight",
            "attn_k.weight", "self_attn.k_proj.weight",
            "attn_v.weight", "self_attn.v_proj.weight",
            "attn_output.weight", "self_attn.o_proj.weight",
            "ffn_norm.weight", "post_attention_layernorm.weight",
            "ffn_gate.weight", "mlp.gate_proj.weight",
            "ffn_up.weight", "mlp.up_proj.weight",
            "ffn_down.weight", "mlp.down_proj.weight");
    private static final Map<String, String> GLOBAL_NAMES = Map.of(
            "token_embd.weight", "model.embed_tokens.weight",
            "output_norm.weight", "model.norm.weight",
            "output.weight", "lm_head.weight");

    private final Path gguf;
    private int shards = 1;
    private boolean index = true;
    private HfTokenizerFiles.Style tokenizerStyle = HfTokenizerFiles.Style.CLASSIC;

    private HfFolderWriter(Path gguf) {
        this.gguf = gguf;
    }

    public static HfFolderWriter from(Path gguf) {
        return new HfFolderWriter(gguf);
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
            List<GgufTensorInfo> infos = file.tensorInfos();
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int s = 0; s < shards; s++) {
                String name = shards == 1 ? "model.safetensors"
                        : String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
                for (int i = s * infos.size() / shards; i < (s + 1) * infos.size() / shards; i++) {
                    Tensor t = file.tensor(infos.get(i).name());
                    String hfName = hfName(t.name());
                    writer.addRaw(hfName, t.type().name(), shape(t), bytes(t, meta));
                    weightMap.put(hfName, name);
                }
                writer.write(folder.resolve(name));
            }
            if (shards > 1 && index) {
                writeIndex(folder, weightMap);
            }
            HfTokenizerFiles.writeString(folder.resolve("config.json"), config(meta, file));
            HfTokenizerFiles.write(meta, folder, tokenizerStyle);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hfName(String ggufName) {
        String global = GLOBAL_NAMES.get(ggufName);
        if (global != null) {
            return global;
        }
        Matcher m = LAYER.matcher(ggufName);
        if (!m.matches() || !LAYER_NAMES.containsKey(m.group(2))) {
            throw new IllegalArgumentException("no Hugging Face name for " + ggufName);
        }
        return "model.layers." + m.group(1) + "." + LAYER_NAMES.get(m.group(2));
    }

    private static long[] shape(Tensor t) {
        long[] dims = t.dims();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[dims.length - 1 - i];
        }
        return shape;
    }

    /** The tensor's bytes; for Q and K, rows in the halves layout: row h*hd + t*hd/2 + j is GGUF row h*hd + 2j + t. */
    private static byte[] bytes(Tensor t, GgufMetadata meta) {
        if (t.type().isQuantized()) {
            throw new IllegalArgumentException(t.name() + " is " + t.type() + "; safetensors folders hold floats");
        }
        byte[] raw = t.data().toArray(ValueLayout.JAVA_BYTE);
        int heads;
        if (t.name().endsWith(".attn_q.weight")) {
            heads = meta.getInt("llama.attention.head_count");
        } else if (t.name().endsWith(".attn_k.weight")) {
            heads = meta.getInt("llama.attention.head_count_kv");
        } else {
            return raw;
        }
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

    private static String config(GgufMetadata meta, GgufFile file) {
        List<String> tokens = meta.getStringList("tokenizer.ggml.tokens");
        String dtype = switch (file.tensor("token_embd.weight").type()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        };
        List<String> members = new ArrayList<>(List.of(
                "\"architectures\":[\"LlamaForCausalLM\"]",
                "\"model_type\":\"llama\"",
                "\"hidden_act\":\"silu\"",
                "\"attention_bias\":false",
                "\"hidden_size\":" + meta.getInt("llama.embedding_length"),
                "\"intermediate_size\":" + meta.getInt("llama.feed_forward_length"),
                "\"num_hidden_layers\":" + meta.getInt("llama.block_count"),
                "\"num_attention_heads\":" + meta.getInt("llama.attention.head_count"),
                "\"num_key_value_heads\":" + meta.getInt("llama.attention.head_count_kv"),
                "\"max_position_embeddings\":" + meta.getInt("llama.context_length"),
                // The float's exact value as a double, so that reading it back as float32 gives the same bits.
                "\"rms_norm_eps\":" + (double) meta.getFloat("llama.attention.layer_norm_rms_epsilon"),
                "\"rope_theta\":" + (double) meta.getFloat("llama.rope.freq_base", 10000f),
                "\"rope_scaling\":null",
                "\"vocab_size\":" + tokens.size(),
                "\"tie_word_embeddings\":" + !file.hasTensor("output.weight"),
                "\"torch_dtype\":\"" + dtype + "\""));
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
