package io.github.infer4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.github.infer4j.backend.cpu.Layouts.FLOAT;
import static io.github.infer4j.backend.cpu.Layouts.ORDER;

/** Adds the F32 bias vector, read from its segment, to every row. */
final class BiasAddStep implements Step {
    private final Simd simd;
    private final MemorySegment bias;
    private final float[] in;
    private final float[] out;
    private final int width;
    private final boolean singleRow;

    BiasAddStep(Simd simd, MemorySegment bias, float[] in, float[] out, int width, boolean singleRow) {
        this.simd = simd;
        this.bias = bias;
        this.in = in;
        this.out = out;
        this.width = width;
        this.singleRow = singleRow;
    }

    @Override
    public void execute(Batch batch) {
        int rows = singleRow ? 1 : batch.count;
        VectorSpecies<Float> fs = simd.floats();
        int lanes = fs.length();
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            int i = 0;
            for (; i <= width - lanes; i += lanes) {
                FloatVector.fromArray(fs, in, base + i).add(FloatVector.fromMemorySegment(fs, bias, 4L * i, ORDER))
                        .intoArray(out, base + i);
            }
            for (; i < width; i++) {
                out[base + i] = in[base + i] + bias.get(FLOAT, 4L * i);
            }
        }
    }
}
