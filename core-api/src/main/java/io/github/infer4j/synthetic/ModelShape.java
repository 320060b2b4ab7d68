package io.github.infer4j.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture and hyper-parameters of a model, which decide its speed and memory; {@link #named} knows those of
 * published models and tiny ones for tests, at least one of each family {@link SyntheticLlama} writes.
 *
 * @param architecture      {@code general.architecture}: one of {@link SyntheticLlama#ARCHITECTURES}
 * @param headDim           size of each attention head; dim / heads except in Qwen3 and the Gemmas
 * @param vocab             tokens in the vocabulary (and rows of the embedding matrix)
 * @param context           the trained context length written to the file
 * @param tiedOutput        whether the classifier reuses the token embeddings (no {@code output.weight})
 * @param slidingWindow     positions a local Gemma layer sees; 0 outside the Gemmas
 * @param attnLogitSoftcap  Gemma 2's cap of the attention scores; 0 elsewhere
 * @param finalLogitSoftcap Gemma 2's cap of the logits; 0 where the model has none
 */
public record ModelShape(String name, String architecture, int dim, int layers, int heads, int kvHeads, int headDim,
                         int ffn, int vocab, int context, float ropeFreqBase, float rmsEps, boolean tiedOutput,
                         int slidingWindow, float attnLogitSoftcap, float finalLogitSoftcap) {
    private static final int LLAMA3_VOCAB = 128256;
    private static final int QWEN_VOCAB = 151936;
    private static final int TINY_VOCAB = SyntheticLlama.minimalBpeVocabSize();

    // The published shapes come from each model's config.json on Hugging Face (hidden_size, num_hidden_layers,
    // num_attention_heads, num_key_value_heads, head_dim, intermediate_size, vocab_size, max_position_embeddings,
    // rope_theta, rms_norm_eps, tie_word_embeddings, sliding_window and the soft-caps): HuggingFaceTB/SmolLM2-135M,
    // meta-llama/Llama-3.2-1B, Llama-3.2-3B, Llama-3.1-8B, Llama-2-7b-hf, mistralai/Mistral-7B-v0.3,
    // Qwen/Qwen2.5-0.5B-Instruct, Qwen2.5-1.5B-Instruct, Qwen/Qwen3-0.6B, Qwen3-1.7B, google/gemma-2-2b,
    // google/gemma-3-1b-it and microsoft/Phi-3-mini-4k-instruct. Gemma 3's local layers (5 of every 6, RoPE base
    // 10000) are the defaults of both llama.cpp and Infer4j, so they need no field. Phi-3.5-mini has Phi-3-mini's
    // tensors but a LongRoPE context of 128k, which neither engine could run from a plain shape, so it is left out.
    private static final List<ModelShape> KNOWN = List.of(
            dense("tiny", "llama", 64, 2, 4, 2, 16, 128, TINY_VOCAB, 256, 10000f, 1e-5f, true),
            dense("tiny-256", "llama", 256, 2, 4, 2, 64, 512, TINY_VOCAB, 256, 10000f, 1e-5f, true),
            dense("tiny-qwen2", "qwen2", 64, 2, 4, 2, 16, 128, TINY_VOCAB, 256, 1000000f, 1e-6f, true),
            dense("tiny-qwen3", "qwen3", 64, 2, 4, 2, 32, 128, TINY_VOCAB, 256, 1000000f, 1e-6f, true),
            gemma("tiny-gemma2", "gemma2", 64, 2, 4, 2, 32, 128, TINY_VOCAB, 256, 10000f, 4, 50f, 30f),
            gemma("tiny-gemma3", "gemma3", 64, 2, 4, 2, 32, 128, TINY_VOCAB, 256, 1000000f, 4, 0f, 0f),
            dense("tiny-phi3", "phi3", 64, 2, 4, 4, 16, 128, TINY_VOCAB, 256, 10000f, 1e-5f, false),
            dense("stories260k", "llama", 64, 5, 8, 4, 8, 172, 512, 128, 10000f, 1e-5f, true),
            dense("smollm2-135m", "llama", 576, 30, 9, 3, 64, 1536, 49152, 8192, 100000f, 1e-5f, true),
            dense("qwen2.5-0.5b", "qwen2", 896, 24, 14, 2, 64, 4864, QWEN_VOCAB, 32768, 1000000f, 1e-6f, true),
            dense("qwen3-0.6b", "qwen3", 1024, 28, 16, 8, 128, 3072, QWEN_VOCAB, 40960, 1000000f, 1e-6f, true),
            gemma("gemma3-1b", "gemma3", 1152, 26, 4, 1, 256, 6912, 262144, 32768, 1000000f, 512, 0f, 0f),
            dense("llama3.2-1b", "llama", 2048, 16, 32, 8, 64, 8192, LLAMA3_VOCAB, 131072, 500000f, 1e-5f, true),
            dense("qwen2.5-1.5b", "qwen2", 1536, 28, 12, 2, 128, 8960, QWEN_VOCAB, 32768, 1000000f, 1e-6f, true),
            dense("qwen3-1.7b", "qwen3", 2048, 28, 16, 8, 128, 6144, QWEN_VOCAB, 40960, 1000000f, 1e-6f, true),
            gemma("gemma2-2b", "gemma2", 2304, 26, 8, 4, 256, 9216, 256000, 8192, 10000f, 4096, 50f, 30f),
            dense("llama3.2-3b", "llama", 3072, 28, 24, 8, 128, 8192, LLAMA3_VOCAB, 131072, 500000f, 1e-5f, true),
            dense("phi3-mini", "phi3", 3072, 32, 32, 32, 96, 8192, 32064, 4096, 10000f, 1e-5f, false),
            dense("llama2-7b", "llama", 4096, 32, 32, 32, 128, 11008, 32000, 4096, 10000f, 1e-5f, false),
            dense("mistral-7b", "llama", 4096, 32, 32, 8, 128, 14336, 32768, 32768, 1000000f, 1e-5f, false),
            dense("llama3.1-8b", "llama", 4096, 32, 32, 8, 128, 14336, LLAMA3_VOCAB, 131072, 500000f, 1e-5f,
                    false));

    public ModelShape {
        if (!SyntheticLlama.ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("shape " + name + ": architecture must be one of "
                    + SyntheticLlama.ARCHITECTURES + ", got " + architecture);
        }
    }

    /** Every shape {@link #named} knows: the tiny ones, then the published ones from smallest to largest. */
    public static List<ModelShape> known() {
        return KNOWN;
    }

    /** The known shape called {@code name} (case-insensitive), e.g. {@code llama3.2-1b} or {@code gemma3-1b}. */
    public static ModelShape named(String name) {
        for (ModelShape shape : KNOWN) {
            if (shape.name.equalsIgnoreCase(name)) {
                return shape;
            }
        }
        List<String> names = new ArrayList<>();
        for (ModelShape shape : KNOWN) {
            names.add(shape.name);
        }
        throw new IllegalArgumentException("unknown model shape '" + name + "'; known: " + String.join(", ", names));
    }

    /** A family without sliding windows or soft-caps. */
    private static ModelShape dense(String name, String architecture, int dim, int layers, int heads, int kvHeads,
                                    int headDim, int ffn, int vocab, int context, float ropeFreqBase, float rmsEps,
                                    boolean tiedOutput) {
        return new ModelShape(name, architecture, dim, layers, heads, kvHeads, headDim, ffn, vocab, context,
                ropeFreqBase, rmsEps, tiedOutput, 0, 0f, 0f);
    }

    /** A Gemma: RMS epsilon 1e-6 and a tied classifier, as in every Gemma 2 and Gemma 3 model. */
    private static ModelShape gemma(String name, String architecture, int dim, int layers, int heads, int kvHeads,
                                    int headDim, int ffn, int vocab, int context, float ropeFreqBase,
                                    int slidingWindow, float attnLogitSoftcap, float finalLogitSoftcap) {
        return new ModelShape(name, architecture, dim, layers, heads, kvHeads, headDim, ffn, vocab, context,
                ropeFreqBase, 1e-6f, true, slidingWindow, attnLogitSoftcap, finalLogitSoftcap);
    }
}
