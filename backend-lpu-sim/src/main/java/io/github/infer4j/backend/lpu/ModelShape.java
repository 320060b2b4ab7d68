package io.github.infer4j.backend.lpu;

import io.github.infer4j.Infer4jException;

import java.util.List;
import java.util.Locale;

/**
 * The hyper-parameters of a Llama-family decoder, enough to plan it without its weights (a "phantom" model):
 * {@code experts > 0} makes every feed-forward block a mixture of experts routed to {@code expertsPerToken} of them.
 * {@code contextLength} is the KV cache the plan reserves SRAM for.
 */
public record ModelShape(String name, int dim, int layers, int heads, int kvHeads, int ffn, int vocab,
                         int experts, int expertsPerToken, int contextLength) {
    public ModelShape {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffn <= 0 || vocab <= 0 || contextLength <= 0
                || experts < 0 || (experts > 0 && (expertsPerToken <= 0 || expertsPerToken > experts))) {
            throw new Infer4jException("model shape " + name + " has a non-positive or inconsistent size: dim " + dim
                    + ", layers " + layers + ", heads " + heads + ", kv heads " + kvHeads + ", ffn " + ffn + ", vocab "
                    + vocab + ", experts " + experts + " (" + expertsPerToken + " per token), context " + contextLength);
        }
        if (dim % heads != 0 || heads % kvHeads != 0) {
            throw new Infer4jException("model shape " + name + ": dim " + dim + " must be a multiple of heads " + heads
                    + " and heads a multiple of kv heads " + kvHeads);
        }
    }

    /** The shapes {@link #named} knows, as published by their authors. */
    public static List<ModelShape> known() {
        return List.of(
                new ModelShape("llama2-7b", 4096, 32, 32, 32, 11008, 32000, 0, 0, 4096),
                new ModelShape("llama2-13b", 5120, 40, 40, 40, 13824, 32000, 0, 0, 4096),
                new ModelShape("llama2-70b", 8192, 80, 64, 8, 28672, 32000, 0, 0, 4096),
                new ModelShape("llama3-8b", 4096, 32, 32, 8, 14336, 128256, 0, 0, 8192),
                new ModelShape("llama3-70b", 8192, 80, 64, 8, 28672, 128256, 0, 0, 8192),
                new ModelShape("mixtral-8x7b", 4096, 32, 32, 8, 14336, 32000, 8, 2, 32768),
                new ModelShape("stories260k", 64, 5, 8, 4, 172, 512, 0, 0, 512));
    }

    public static ModelShape named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ModelShape s : known()) {
            if (s.name.equals(wanted)) {
                return s;
            }
        }
        throw new Infer4jException("unknown model shape '" + name + "'; known: "
                + known().stream().map(ModelShape::name).toList());
    }

    public int headDim() {
        return dim / heads;
    }

    public boolean isMixtureOfExperts() {
        return experts > 0;
    }

    /** Weights of the whole model, embedding and output head included. */
    public long parameters() {
        long attention = (long) dim * (2L * dim + 2L * kvHeads * headDim());
        long ffnBlock = 3L * dim * ffn * Math.max(1, experts) + (long) dim * experts;
        return layers * (attention + ffnBlock + 2L * dim) + 2L * vocab * dim + dim;
    }

    public ModelShape withContext(int tokens) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffn, vocab, experts, expertsPerToken, tokens);
    }
}
