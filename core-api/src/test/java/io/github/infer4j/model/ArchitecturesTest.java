package io.github.infer4j.model;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufWriter;
import io.github.infer4j.graph.Attention;
import io.github.infer4j.graph.BiasAdd;
import io.github.infer4j.graph.GeGlu;
import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.HeadRmsNorm;
import io.github.infer4j.graph.MatMul;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.Rope;
import io.github.infer4j.graph.RopeMode;
import io.github.infer4j.graph.Scale;
import io.github.infer4j.graph.SoftCap;
import io.github.infer4j.graph.SwiGlu;
import io.github.infer4j.internal.GgufWeights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import io.github.infer4j.synthetic.SyntheticLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Each architecture builds the graph its llama.cpp counterpart computes from a synthetic file of that family: the
 * ops, weights and parameters that set the families apart are checked here, the numbers by the backends' tests.
 */
class ArchitecturesTest {
    @TempDir
    Path dir;

    private void withGraph(SyntheticLlama.Builder model, Consumer<ModelGraph> check) {
        Path file = model.write(dir.resolve("model" + System.nanoTime() + ".gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            String arch = gguf.metadata().getString("general.architecture");
            check.accept(Architectures.forName(arch, file.toString())
                    .build(gguf.metadata(), new GgufWeights(gguf), file.toString()));
        }
    }

    private static <T extends Op> List<T> ops(Graph graph, Class<T> type) {
        return graph.ops().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void unsupportedArchitectureIsAnErrorNamingItAndListingTheSupportedOnes() {
        assertThatThrownBy(() -> Architectures.forName("mamba", "m.gguf")).isInstanceOf(Infer4jException.class)
                .hasMessageContaining("m.gguf").hasMessageContaining("'mamba' is not supported")
                .hasMessageContaining("[llama, qwen2, qwen3, gemma2, gemma3, phi3]");
        assertThat(Architectures.supportedNames()).containsExactlyElementsOf(SyntheticLlama.ARCHITECTURES);
    }

    /** llama.cpp's order, which lpu-sim recognizes as a Llama block (query, key, value each finished in turn). */
    @Test
    void llamaTurnsAdjacentPairsWithoutExtraOps() {
        withGraph(SyntheticLlama.builder(), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(graph.ops().subList(0, 16)).extracting(op -> op.getClass().getSimpleName()).containsExactly(
                    "Embed", "RmsNorm", "MatMul", "Rope", "MatMul", "Rope", "MatMul", "Attention", "MatMul", "Add",
                    "RmsNorm", "MatMul", "MatMul", "SwiGlu", "MatMul", "Add");
            assertThat(ops(graph, Rope.class)).allMatch(r -> r.mode() == RopeMode.NORMAL).hasSize(4);
            assertThat(ops(graph, SwiGlu.class)).hasSize(2);
            assertThat(ops(graph, BiasAdd.class)).isEmpty();
            assertThat(ops(graph, HeadRmsNorm.class)).isEmpty();
            assertThat(ops(graph, Attention.class)).allMatch(a -> a.window() == 0 && a.softcap() == 0);
        });
    }

    @Test
    void qwen2AddsQueryKeyAndValueBiasesAndTurnsHalves() {
        withGraph(SyntheticLlama.builder().architecture("qwen2"), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(ops(graph, BiasAdd.class)).extracting(BiasAdd::bias).containsExactly(
                    "blk.0.attn_q.bias", "blk.0.attn_k.bias", "blk.0.attn_v.bias",
                    "blk.1.attn_q.bias", "blk.1.attn_k.bias", "blk.1.attn_v.bias");
            assertThat(ops(graph, Rope.class)).allMatch(r -> r.mode() == RopeMode.NEOX);
        });
    }

    @Test
    void qwen3NormalizesQueryAndKeyHeadsOfItsOwnSizeBeforeRope() {
        withGraph(SyntheticLlama.builder().architecture("qwen3").dim(64).heads(4).kvHeads(2).headDim(32), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(g.headDim()).isEqualTo(32);
            List<HeadRmsNorm> norms = ops(graph, HeadRmsNorm.class);
            assertThat(norms).extracting(HeadRmsNorm::weight).containsExactly("blk.0.attn_q_norm.weight",
                    "blk.0.attn_k_norm.weight", "blk.1.attn_q_norm.weight", "blk.1.attn_k_norm.weight");
            assertThat(norms).allMatch(n -> n.headDim() == 32);
            assertThat(ops(graph, Rope.class)).allMatch(r -> r.mode() == RopeMode.NEOX)
                    .allMatch(r -> norms.stream().anyMatch(n -> n.out().equals(r.in())));
            assertThat(ops(graph, Attention.class)).allMatch(a -> a.q().width() == 128 && a.headDim() == 32);
        });
    }

    @Test
    void gemma2ScalesEmbeddingsAlternatesWindowsAndSoftCapsScoresAndLogits() {
        withGraph(SyntheticLlama.builder().architecture("gemma2").layers(4).headDim(32).slidingWindow(8), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(ops(graph, Scale.class)).singleElement()
                    .satisfies(s -> assertThat(s.factor()).isEqualTo((float) Math.sqrt(64)));
            assertThat(ops(graph, Attention.class)).extracting(Attention::window).containsExactly(8, 0, 8, 0);
            assertThat(ops(graph, Attention.class)).allMatch(a -> a.softcap() == 50f)
                    .allMatch(a -> Math.abs(a.scale() - 1 / Math.sqrt(32)) < 1e-7);
            assertThat(graph.ops().getLast()).isInstanceOfSatisfying(SoftCap.class,
                    s -> assertThat(s.cap()).isEqualTo(30f));
            assertThat(ops(graph, GeGlu.class)).hasSize(4);
            assertThat(ops(graph, SwiGlu.class)).isEmpty();
            assertThat(graph.weightNames()).contains("blk.3.post_attention_norm.weight", "blk.3.post_ffw_norm.weight");
            assertThat(ops(graph, MatMul.class).getLast().weight()).isEqualTo("token_embd.weight");
        });
    }

    @Test
    void gemma3MakesEverySixthLayerGlobalWithItsOwnRopeBase() {
        withGraph(SyntheticLlama.builder().architecture("gemma3").layers(7).headDim(32).slidingWindow(8)
                .ropeFreqBase(1_000_000f).finalLogitSoftcap(0), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(ops(graph, Attention.class)).extracting(Attention::window)
                    .containsExactly(8, 8, 8, 8, 8, 0, 8);
            assertThat(ops(graph, Attention.class)).allMatch(a -> a.softcap() == 0);
            List<Rope> ropes = ops(graph, Rope.class);
            // Two ropes (query, key) per layer; pair 1 turns by base^(-2/32).
            assertThat(ropes.get(0).invFreq(1)).isCloseTo((float) Math.pow(10000, -2.0 / 32), within(1e-7f));
            assertThat(ropes.get(10).invFreq(1)).isCloseTo((float) Math.pow(1_000_000, -2.0 / 32), within(1e-7f));
            assertThat(ops(graph, HeadRmsNorm.class)).hasSize(14);
            assertThat(ops(graph, SoftCap.class)).isEmpty();
        });
    }

    @Test
    void gemma3WithoutSlidingWindowKeyAttendsGloballyEverywhere() {
        withGraph(SyntheticLlama.builder().architecture("gemma3").layers(7).headDim(32).slidingWindow(0), g ->
                assertThat(ops(g.lastTokenLogits(), Attention.class)).allMatch(a -> a.window() == 0));
    }

    @Test
    void phi3ReadsQueryKeyValueAndGateUpAsRowViewsOfTheFusedMatrices() {
        withGraph(SyntheticLlama.builder().architecture("phi3").weightType(DType.Q8_0), g -> {
            Graph graph = g.lastTokenLogits();
            assertThat(ops(graph, MatMul.class).subList(0, 6)).extracting(MatMul::weight).containsExactly(
                    "blk.0.attn_qkv.weight[0:64]", "blk.0.attn_qkv.weight[64:96]", "blk.0.attn_qkv.weight[96:128]",
                    "blk.0.attn_output.weight", "blk.0.ffn_up.weight[0:128]", "blk.0.ffn_up.weight[128:256]");
            // Backends prepare the listed tensors: the views, not the fused matrices they were cut from.
            assertThat(g.weights().names()).contains("blk.1.attn_qkv.weight[96:128]", "blk.1.ffn_up.weight[0:128]")
                    .doesNotContain("blk.0.attn_qkv.weight", "blk.1.ffn_up.weight");
            Tensor fused = g.weights().tensor("blk.0.attn_qkv.weight");
            Tensor keys = g.weights().tensor("blk.0.attn_qkv.weight[64:96]");
            assertThat(keys.dims()).containsExactly(64, 32);
            assertThat(keys.type()).isEqualTo(DType.Q8_0);
            assertThat(keys.data().toArray(JAVA_BYTE)).isEqualTo(
                    fused.data().asSlice(64 * fused.rowBytes(), 32 * fused.rowBytes())
                            .toArray(JAVA_BYTE));
            assertThat(ops(graph, Rope.class)).allMatch(r -> r.mode() == RopeMode.NEOX);
        });
    }

    @Test
    void phi3LongContextRopeFactorsAreRejected() {
        GgufWriter w = SyntheticLlama.builder().architecture("phi3").toWriter()
                .addTensor("rope_factors_long.weight", DType.F32, new long[] {8}, new float[8]);
        Path file = dir.resolve("phi3-128k.gguf");
        w.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> Architectures.forName("phi3", file.toString())
                    .build(gguf.metadata(), new GgufWeights(gguf), file.toString()))
                    .isInstanceOf(Infer4jException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("rope_factors_long.weight").hasMessageContaining("not supported");
        }
    }

    /** llama.cpp accepts a fused {@code attn_qkv} with its bias in any of these families; so do the views. */
    @Test
    void biasOfAFusedProjectionIsSplitLikeItsMatrix() {
        GgufWriter w = SyntheticLlama.builder().architecture("phi3").toWriter();
        for (int l = 0; l < 2; l++) {
            w.addTensor("blk." + l + ".attn_qkv.bias", DType.F32, new long[] {128}, new float[128]);
        }
        Path file = dir.resolve("phi3-bias.gguf");
        w.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            ModelGraph g = Architectures.forName("phi3", file.toString())
                    .build(gguf.metadata(), new GgufWeights(gguf), file.toString());
            assertThat(ops(g.lastTokenLogits(), BiasAdd.class)).extracting(BiasAdd::bias).startsWith(
                    "blk.0.attn_qkv.bias[0:64]", "blk.0.attn_qkv.bias[64:96]", "blk.0.attn_qkv.bias[96:128]");
            assertThat(g.weights().tensor("blk.0.attn_qkv.bias[64:96]").dims()).containsExactly(32);
        }
    }
}
