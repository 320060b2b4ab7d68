package io.github.infer4j.huggingface;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.json.JsonArray;
import io.github.infer4j.internal.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face model classes Infer4j can load, and how their {@code config.json} and tensor names translate
 * into the GGUF keys and names the architectures read, the same translation llama.cpp's converter makes.
 */
enum HfArchitecture {
    /**
     * Llama and Mistral. Hugging Face rotates the two halves of each head (the GPT-NeoX layout) where Meta's
     * original and GGUF rotate adjacent pairs, so the rows of q_proj and k_proj are put back into pairs at load.
     */
    LLAMA("llama", List.of("LlamaForCausalLM", "MistralForCausalLM"), true, Map.of(
            "input_layernorm.weight", "attn_norm.weight",
            "self_attn.q_proj.weight", "attn_q.weight",
            "self_attn.k_proj.weight", "attn_k.weight",
            "self_attn.v_proj.weight", "attn_v.weight",
            "self_attn.o_proj.weight", "attn_output.weight",
            "post_attention_layernorm.weight", "ffn_norm.weight",
            "mlp.gate_proj.weight", "ffn_gate.weight",
            "mlp.up_proj.weight", "ffn_up.weight",
            "mlp.down_proj.weight", "ffn_down.weight"));

    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> GLOBAL = Map.of(
            "model.embed_tokens.weight", "token_embd.weight",
            "model.norm.weight", "output_norm.weight",
            "lm_head.weight", "output.weight");
    /** Tensors some checkpoints carry that are recomputed rather than loaded (the RoPE frequencies). */
    private static final String SKIPPED_SUFFIX = "rotary_emb.inv_freq";

    private final String ggufName;
    private final List<String> hfClasses;
    private final boolean halvesRope;
    private final Map<String, String> layerTensors;

    HfArchitecture(String ggufName, List<String> hfClasses, boolean halvesRope, Map<String, String> layerTensors) {
        this.ggufName = ggufName;
        this.hfClasses = hfClasses;
        this.halvesRope = halvesRope;
        this.layerTensors = layerTensors;
    }

    /** The architecture named by the first entry of {@code architectures} in config.json. */
    static HfArchitecture of(JsonObject config) {
        JsonArray classes = config.getArray("architectures");
        if (classes.size() == 0) {
            throw config.invalid("architectures", "is empty; it names the model class, e.g. LlamaForCausalLM");
        }
        String hfClass = classes.getString(0);
        List<String> supported = new ArrayList<>();
        for (HfArchitecture a : values()) {
            if (a.hfClasses.contains(hfClass)) {
                return a;
            }
            supported.addAll(a.hfClasses);
        }
        throw config.invalid("architectures", "model class " + hfClass + " is not supported; supported: " + supported);
    }

    /** {@code general.architecture} of the translated model. */
    String ggufName() {
        return ggufName;
    }

    /**
     * Whether Q and K rows are stored with the halves of each head rotated together, which Infer4j's graph for this
     * architecture expects as adjacent pairs.
     */
    boolean halvesRope() {
        return halvesRope;
    }

    /**
     * The GGUF name of the Hugging Face tensor {@code hfName}, {@code null} for a tensor that is not loaded at all.
     *
     * @throws Infer4jException for a tensor this architecture has no place for, which would otherwise be ignored
     *                          and give wrong results
     */
    String tensorName(String hfName, int layers, String source) {
        String global = GLOBAL.get(hfName);
        if (global != null) {
            return global;
        }
        if (hfName.endsWith(SKIPPED_SUFFIX)) {
            return null;
        }
        Matcher m = LAYER.matcher(hfName);
        if (m.matches()) {
            String suffix = layerTensors.get(m.group(2));
            int layer = parseLayer(m.group(1));
            if (suffix != null && layer < layers) {
                return "blk." + layer + "." + suffix;
            }
        }
        throw new Infer4jException(source + ": tensor '" + hfName + "' has no place in a " + ggufName + " model of "
                + layers + " layers");
    }

    private static int parseLayer(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /** The hyper-parameters of {@code config} under this architecture's GGUF keys. */
    void putHyperParameters(JsonObject config, MetadataBuilder out) {
        String p = ggufName + ".";
        int hidden = HfConfig.positiveInt(config, "hidden_size");
        int heads = HfConfig.positiveInt(config, "num_attention_heads");
        int headDim = config.has("head_dim") ? HfConfig.positiveInt(config, "head_dim") : hidden / heads;
        out.putUInt32(p + "context_length", HfConfig.positiveInt(config, "max_position_embeddings"))
                .putUInt32(p + "embedding_length", hidden)
                .putUInt32(p + "block_count", HfConfig.positiveInt(config, "num_hidden_layers"))
                .putUInt32(p + "feed_forward_length", HfConfig.positiveInt(config, "intermediate_size"))
                .putUInt32(p + "attention.head_count", heads)
                .putUInt32(p + "attention.head_count_kv", config.has("num_key_value_heads")
                        ? HfConfig.positiveInt(config, "num_key_value_heads") : heads)
                .putUInt32(p + "attention.key_length", headDim)
                .putUInt32(p + "attention.value_length", headDim)
                .putUInt32(p + "rope.dimension_count", headDim)
                .putFloat32(p + "rope.freq_base", HfConfig.positiveNumber(config, "rope_theta", 10000))
                // Transformers' LlamaConfig defaults the epsilon to 1e-6.
                .putFloat32(p + "attention.layer_norm_rms_epsilon",
                        HfConfig.positiveNumber(config, "rms_norm_eps", 1e-6))
                .putUInt32(p + "vocab_size", HfConfig.positiveInt(config, "vocab_size"));
        HfConfig.putRopeScaling(config, p, out);
        HfConfig.require(config, "hidden_act", "silu");
        HfConfig.requireFalse(config, "attention_bias");
        HfConfig.requireFalse(config, "mlp_bias");
    }
}
