package io.github.infer4j.backend.cpu;

import io.github.infer4j.graph.Graph;
import io.github.infer4j.graph.GraphBuilder;
import io.github.infer4j.graph.Op;
import io.github.infer4j.graph.Value;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ValueBuffersTest {
    @Test
    void reusesArraysOfDeadValuesButNeverAnInputOfTheSameOp() {
        GraphBuilder b = new GraphBuilder();
        Value x = b.embed("tok", 64);
        for (int layer = 0; layer < 20; layer++) {
            Value h = b.matmul(b.rmsNorm(x, "norm" + layer, 1e-5f), "w" + layer, 256);
            x = b.add(x, b.matmul(h, "down" + layer, 64));
        }
        Graph graph = b.build(b.matmul(b.rmsNorm(b.lastRow(x), "out_norm", 1e-5f), "output", 1000));

        float[][] arrays = ValueBuffers.assign(graph, graph.ops(), 8);

        Set<float[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Op op : graph.ops()) {
            float[] out = arrays[op.out().id()];
            distinct.add(out);
            assertThat(out.length).isGreaterThanOrEqualTo((op.out().singleRow() ? 1 : 8) * op.out().width());
            for (Value in : op.inputs()) {
                assertThat(arrays[in.id()]).as("input of %s", op).isNotSameAs(out);
            }
        }
        assertThat(distinct).hasSizeLessThanOrEqualTo(5);
    }
}
