package io.github.infer4j.gguf;

/**
 * A small valid GGUF v3 file built by hand: six metadata entries (string, uint32 alignment 64, bool, string array,
 * uint32 array, float32) and two tensors: {@code a}, F32 4x2 at data offset 0, and {@code b}, one Q8_0 block at
 * data offset 64. Fields that corruption tests target are marked.
 */
final class SmallGguf {
    static final int ALIGNMENT = 64;
    static final float[] A_VALUES = {1, 2, 3, 4, 5, 6, 7, 8};

    private SmallGguf() {
    }

    static GgufBytes build() {
        GgufBytes b = new GgufBytes();
        b.mark("magic").u32(GgufParser.MAGIC);
        b.mark("version").u32(3);
        b.mark("tensor_count").u64(2);
        b.mark("metadata_kv_count").u64(6);

        b.mark("key0").str("general.architecture").mark("type0").u32(8).mark("value0").str("llama");
        b.mark("key1").str("general.alignment").mark("type1").u32(4).mark("alignment").u32(ALIGNMENT);
        b.mark("key2").str("test.flag1").u32(7).mark("bool").u8(1);
        b.mark("key3").str("test.tokens").u32(9).mark("elementType").u32(8).mark("arrayLength").u64(3)
                .str("a").str("bb").str("ccc");
        b.mark("key4").str("test.ids").u32(9).u32(4).u64(4).u32(10).u32(20).u32(30).u32(0xFFFF_FFFFL);
        b.mark("key5").str("test.flag2").u32(6).f32(1e-5f);

        b.mark("t0name").str("a").mark("t0ndims").u32(2).mark("t0dim0").u64(4).mark("t0dim1").u64(2)
                .mark("t0type").u32(0).mark("t0offset").u64(0);
        b.mark("t1name").str("b").mark("t1ndims").u32(1).mark("t1dim0").u64(32)
                .mark("t1type").u32(8).mark("t1offset").u64(ALIGNMENT);
        b.padTo(ALIGNMENT).mark("data");
        for (float v : A_VALUES) {
            b.f32(v);
        }
        b.padTo(ALIGNMENT);
        b.u16(Float.floatToFloat16(0.5f));
        for (int i = 0; i < 32; i++) {
            b.u8(i - 16);
        }
        return b;
    }
}
