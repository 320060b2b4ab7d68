package io.github.infer4j.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infer4j.GenerationOptions;
import io.github.infer4j.GenerationResult;
import io.github.infer4j.Infer4j;
import io.github.infer4j.Model;
import io.github.infer4j.Session;
import io.github.infer4j.StopReason;
import io.github.infer4j.TokenListener;
import io.github.infer4j.sampling.SamplerConfig;
import io.github.infer4j.testkit.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Whole-model checks every backend must pass, against values computed outside Infer4j: the stories260K reference
 * logits and greedy tokens (llama2.c port, {@code stories260K.expected.json}) and llama.cpp's greedy text for each
 * quantized variant ({@code stories260K.llamacpp-greedy.txt}). A backend module subclasses this with its name.
 */
public abstract class ModelConformanceTest {
    /** F32 weights: the reference values are rounded to 5 decimals and differ from float64 by under 1e-5. */
    private static final float F32_LOGIT_TOLERANCE = 1e-3f;

    protected abstract String backendName();

    /**
     * Largest difference allowed between a logit and its F32 reference value. A backend that computes in lower
     * precision on purpose (fp16 activations, int8 matrices) overrides this and documents why its figure is enough.
     */
    protected float logitTolerance() {
        return F32_LOGIT_TOLERANCE;
    }

    /** The reference values were computed in float32 throughout, so these checks keep the KV cache in F32. */
    protected Model load(String file) {
        return Infer4j.builder().backend(backendName()).kvCacheType("F32").load(SharedModels.file(file));
    }

    private static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(SharedModels.file("stories260K.expected.json").toFile());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private void assertLogits(float[] actual, JsonNode expected) {
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo((float) expected.get(i).asDouble(), within(logitTolerance()));
        }
    }

    @Test
    void logitsAfterBosAndAfterPromptMatchTheReference() throws IOException {
        JsonNode ref = expected();
        int[] prompt = ints(ref.get("prompt_ids"));
        try (Model model = load("stories260K.gguf"); Session session = model.newSession()) {
            assertThat(model.tokenizer().encode(ref.get("prompt").asText(), true, true)).containsExactly(prompt);
            session.process(prompt, 0, 1);
            assertLogits(session.logits(), ref.get("logits_after_bos"));
            session.process(prompt, 1, prompt.length - 1);
            assertLogits(session.logits(), ref.get("logits_after_prompt"));
        }
    }

    @Test
    void batchedPrefillEqualsTokenByToken() throws IOException {
        int[] prompt = ints(expected().get("prompt_ids"));
        try (Model model = load("stories260K.gguf"); Session batched = model.newSession();
             Session single = model.newSession()) {
            batched.process(prompt, 0, prompt.length);
            for (int i = 0; i < prompt.length; i++) {
                single.process(prompt, i, 1);
            }
            float[] a = batched.logits();
            float[] b = single.logits();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f));
            }
        }
    }

    @Test
    void greedyFromBosReproducesTheReferenceToTheEndOfTheContext() throws IOException {
        int[] ids = ints(expected().get("greedy_from_bos_ids"));
        try (Model model = load("stories260K.gguf"); Session session = model.newSession()) {
            GenerationResult r = session.generate(new int[] {ids[0]},
                    GenerationOptions.defaults().sampler(SamplerConfig.greedy()), TokenListener.NONE);
            // The reference stops once BOS and its output fill the 128 positions; Infer4j also samples from the
            // logits of the last position, one token more, then reports the full context.
            assertThat(r.tokens()).hasSize(ids.length).startsWith(Arrays.copyOfRange(ids, 1, ids.length));
            assertThat(r.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
            assertThat(session.position()).isEqualTo(model.contextLength());
        }
    }

    @ParameterizedTest(name = "{0}: first {1} tokens")
    @CsvSource({"stories260K-F16.gguf, 20", "stories260K-BF16.gguf, 20", "stories260K-Q8_0.gguf, 20",
            "stories260K-Q4_0.gguf, 12"})
    void greedyTextOfEachVariantMatchesLlamaCpp(String file, int tokens) throws IOException {
        String reference = llamaCppGreedy(file);
        try (Model model = load(file); Session session = model.newSession()) {
            GenerationResult r = session.generate(new int[] {model.tokenizer().bosId()},
                    GenerationOptions.defaults().sampler(SamplerConfig.greedy()).maxTokens(tokens), TokenListener.NONE);
            assertThat(r.tokens()).hasSize(tokens);
            // llama.cpp prints the first SPM piece with its leading space; a whole decode drops it.
            assertThat(reference.stripLeading()).startsWith(r.text().stripLeading());
        }
    }

    private static String llamaCppGreedy(String file) throws IOException {
        String all = Files.readString(SharedModels.file("stories260K.llamacpp-greedy.txt"));
        String marker = "== " + file + "\n";
        int start = all.indexOf(marker);
        assertThat(start).as("section for %s", file).isNotNegative();
        start += marker.length();
        int end = all.indexOf("\n== ", start);
        return all.substring(start, end < 0 ? all.length() : end);
    }
}
