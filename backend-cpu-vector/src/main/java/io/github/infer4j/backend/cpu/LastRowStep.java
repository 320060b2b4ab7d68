package io.github.infer4j.backend.cpu;

/** Copies the batch's last row: later ops then work on the newest token only. */
final class LastRowStep implements Step {
    private final float[] in;
    private final float[] out;
    private final int width;
    private final boolean inSingleRow;

    LastRowStep(float[] in, float[] out, int width, boolean inSingleRow) {
        this.in = in;
        this.out = out;
        this.width = width;
        this.inSingleRow = inSingleRow;
    }

    @Override
    public void execute(Batch batch) {
        System.arraycopy(in, inSingleRow ? 0 : (batch.count - 1) * width, out, 0, width);
    }
}
