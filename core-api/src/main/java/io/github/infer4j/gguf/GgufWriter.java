package io.github.infer4j.gguf;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a GGUF version 3 file that llama.cpp can load: metadata in insertion order (putting a key again replaces
 * its value in place), then tensor infos and data in the order added, each tensor aligned to {@link #alignment}.
 * Tensor data is only referenced until {@link #write}, which streams it to disk in bounded chunks, so the
 * arrays and segments passed in must not change (nor their arena close) before then. A tensor given as a
 * {@link RowSource} is made row by row during the write, so files larger than the heap can be written.
 */
public final class GgufWriter {
    /** llama.cpp copies names into a 64-byte buffer including the terminating zero. */
    static final int MAX_NAME_BYTES = 63;
    private static final int CHUNK_BYTES = 1 << 20;
    /** Floats converted per step: rows are quantized in groups of about this size (or one row, if larger). */
    private static final int CHUNK_FLOATS = 1 << 18;

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private int alignment = GgufParser.DEFAULT_ALIGNMENT;

    /**
     * The float values of a tensor, one row ({@code dims[0]} elements) at a time, produced while the file is
     * written. {@link #write} asks for rows 0, 1, ... in order, once per write; a source that fills a row from its
     * index alone writes the same bytes every time.
     */
    @FunctionalInterface
    public interface RowSource {
        /** Writes the {@code dims[0]} values of row {@code row} into {@code target} from {@code offset} on. */
        void fill(long row, float[] target, int offset);
    }

    /** A tensor to write: exactly one of {@code raw} and {@code rows} is set. */
    private record PendingTensor(String name, DType type, long[] dims, MemorySegment raw, RowSource rows) {
        long byteSize() {
            return type.bytesFor(Tensor.elementCount(dims));
        }

        long rowCount() {
            return Tensor.elementCount(dims) / dims[0];
        }
    }

    public GgufWriter putString(String key, String value) {
        return put(key, new GgufValue(GgufValueType.STRING, null, value));
    }

    /** {@code value} must be in 0..2^32-1. */
    public GgufWriter putUInt32(String key, long value) {
        return put(key, new GgufValue(GgufValueType.UINT32, null, value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, new GgufValue(GgufValueType.INT32, null, value));
    }

    /** The 64 bits of {@code value}, read as unsigned. */
    public GgufWriter putUInt64(String key, long value) {
        return put(key, new GgufValue(GgufValueType.UINT64, null, value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, new GgufValue(GgufValueType.FLOAT32, null, value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, new GgufValue(GgufValueType.BOOL, null, value));
    }

    public GgufWriter putStringArray(String key, List<String> values) {
        return put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, values));
    }

    public GgufWriter putFloatArray(String key, float[] values) {
        return put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, values));
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        return put(key, new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, values));
    }

    /**
     * Any value; {@code general.alignment} must then be a uint32 power of two and sets the alignment, exactly as
     * {@link #alignment(int)} does.
     */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.equals(GgufParser.ALIGNMENT_KEY)) {
            alignment = checkedAlignment(value);
        }
        metadata.put(key, value);
        return this;
    }

    /** Aligns tensor data to {@code bytes} (a power of two; 32 unless set) and records it as general.alignment. */
    public GgufWriter alignment(int bytes) {
        return putUInt32(GgufParser.ALIGNMENT_KEY, bytes);
    }

    private static int checkedAlignment(GgufValue value) {
        if (value.type() != GgufValueType.UINT32) {
            throw new IllegalArgumentException(GgufParser.ALIGNMENT_KEY + " must be a uint32, got " + value.typeName());
        }
        long a = (Long) value.raw();
        if (!GgufParser.isValidAlignment(a)) {
            throw new IllegalArgumentException(GgufParser.ALIGNMENT_KEY + " must be a power of two up to 2^30, got " + a);
        }
        return (int) a;
    }

    /** Adds a tensor whose bytes are already in {@code type}'s layout; {@code dims} in ggml order. */
    public GgufWriter addTensor(String name, DType type, long[] dims, MemorySegment rawData) {
        Objects.requireNonNull(rawData, "rawData");
        PendingTensor t = new PendingTensor(name, type, checked(name, type, dims), rawData, null);
        if (rawData.byteSize() != t.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + ": " + type + " " + Arrays.toString(dims) + " needs "
                    + t.byteSize() + " bytes, got " + rawData.byteSize());
        }
        return add(t);
    }

    /** Adds a tensor from float values, converted to {@code type} by its reference format when written. */
    public GgufWriter addTensor(String name, DType type, long[] dims, float[] values) {
        Objects.requireNonNull(values, "values");
        long[] d = checked(name, type, dims);
        if (values.length != Tensor.elementCount(d)) {
            throw new IllegalArgumentException("tensor " + name + ": " + Arrays.toString(d) + " holds "
                    + Tensor.elementCount(d) + " elements, got " + values.length + " values");
        }
        int cols = (int) d[0];
        RowSource rows = (row, target, offset) -> System.arraycopy(values, (int) (row * cols), target, offset, cols);
        return add(new PendingTensor(name, type, d, null, rows));
    }

    /**
     * Adds a tensor whose float values {@code rows} makes during {@link #write}, converted to {@code type} by its
     * reference format. A row must fit in an array: {@code dims[0]} at most 2^31-1.
     */
    public GgufWriter addTensor(String name, DType type, long[] dims, RowSource rows) {
        Objects.requireNonNull(rows, "rows");
        long[] d = checked(name, type, dims);
        if (d[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + name + ": rows of " + d[0]
                    + " elements do not fit in an array; add it as raw bytes");
        }
        return add(new PendingTensor(name, type, d, null, rows));
    }

    /** A copy of {@code dims} once name, type and shape are known to be valid. */
    private long[] checked(String name, DType type, long[] dims) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        long[] d = dims.clone();
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' must be 1.." + MAX_NAME_BYTES
                    + " UTF-8 bytes, is " + nameBytes);
        }
        if (tensorNames.contains(name)) {
            throw new IllegalArgumentException("tensor " + name + " was already added");
        }
        if (d.length < 1 || d.length > GgufParser.MAX_DIMS) {
            throw new IllegalArgumentException("tensor " + name + ": needs 1.." + GgufParser.MAX_DIMS
                    + " dimensions, got " + d.length);
        }
        for (long dim : d) {
            if (dim <= 0) {
                throw new IllegalArgumentException("tensor " + name + ": dimensions must be positive, got "
                        + Arrays.toString(d));
            }
        }
        if (d[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": row length " + d[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        try {
            type.bytesFor(Tensor.elementCount(d));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor " + name + ": " + Arrays.toString(d) + " overflows 64 bits");
        }
        return d;
    }

    private GgufWriter add(PendingTensor t) {
        tensorNames.add(t.name());
        tensors.add(t);
        return this;
    }

    /**
     * The metadata put so far, as a reader of the file will see it, without writing anything (its error messages
     * name the file {@code unwritten.gguf}).
     */
    public GgufMetadata metadata() {
        return GgufMetadata.of(Path.of("unwritten.gguf"), metadata);
    }

    /** The tensors added so far, in file order, with the data offsets {@link #write} gives them. */
    public List<GgufTensorInfo> tensorInfos() {
        List<GgufTensorInfo> infos = new ArrayList<>(tensors.size());
        long offset = 0;
        for (PendingTensor t : tensors) {
            infos.add(new GgufTensorInfo(t.name(), t.type(), t.dims(), offset));
            offset = GgufParser.alignUp(offset + t.byteSize(), alignment);
        }
        return infos;
    }

    /** Writes the file, replacing {@code path} if it exists. */
    public void write(Path path) {
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            GgufOutput out = new GgufOutput(stream);
            writeHeader(out);
            out.padTo(alignment);
            byte[] buffer = new byte[CHUNK_BYTES];
            for (PendingTensor t : tensors) {
                if (t.raw() != null) {
                    out.segment(t.raw(), buffer);
                } else {
                    writeRows(out, t);
                }
                out.padTo(alignment);
            }
        } catch (IOException e) {
            throw new Infer4jException("cannot write GGUF file " + path + ": " + e.getMessage(), e);
        }
    }

    private void writeHeader(GgufOutput out) throws IOException {
        out.u32(GgufParser.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            writeValue(out, e.getValue());
        }
        for (GgufTensorInfo t : tensorInfos()) {
            out.string(t.name());
            long[] dims = t.dims();
            out.u32(dims.length);
            for (long dim : dims) {
                out.u64(dim);
            }
            out.u32(t.type().ggmlId());
            out.u64(t.offset());
        }
    }

    /** Converts whole rows at a time, about {@link #CHUNK_FLOATS} values per step (one row if it is longer). */
    private static void writeRows(GgufOutput out, PendingTensor t) throws IOException {
        int cols = (int) t.dims()[0];
        int rowBytes = Math.toIntExact(t.type().bytesFor(cols));
        long rows = t.rowCount();
        int rowsPerChunk = (int) Math.min(rows, Math.max(1, CHUNK_FLOATS / cols));
        float[] values = new float[Math.multiplyExact(rowsPerChunk, cols)];
        byte[] bytes = new byte[Math.multiplyExact(rowsPerChunk, rowBytes)];
        MemorySegment target = MemorySegment.ofArray(bytes);
        for (long first = 0; first < rows; first += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, rows - first);
            for (int i = 0; i < n; i++) {
                t.rows().fill(first + i, values, i * cols);
            }
            t.type().format().quantize(values, 0, n * cols, target, 0);
            out.bytes(bytes, n * rowBytes);
        }
    }

    private static void writeValue(GgufOutput out, GgufValue v) throws IOException {
        out.u32(v.type().id());
        if (!v.isArray()) {
            writeScalar(out, v.type(), v.raw());
            return;
        }
        out.u32(v.elementType().id());
        out.u64(v.length());
        switch (v.raw()) {
            case int[] a -> {
                for (int x : a) {
                    writeInteger(out, v.elementType(), x);
                }
            }
            case long[] a -> {
                for (long x : a) {
                    writeInteger(out, v.elementType(), x);
                }
            }
            case float[] a -> {
                for (float x : a) {
                    out.u32(Float.floatToRawIntBits(x));
                }
            }
            case double[] a -> {
                for (double x : a) {
                    out.u64(Double.doubleToRawLongBits(x));
                }
            }
            case boolean[] a -> {
                for (boolean x : a) {
                    out.u8(x ? 1 : 0);
                }
            }
            case List<?> l -> {
                for (Object s : l) {
                    out.string((String) s);
                }
            }
            default -> throw new IllegalStateException("GgufValue admitted " + v.raw().getClass());
        }
    }

    private static void writeScalar(GgufOutput out, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 ->
                    writeInteger(out, type, ((Number) value).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> out.u8((Boolean) value ? 1 : 0);
            case STRING -> out.string((String) value);
            case ARRAY -> throw new IllegalStateException("arrays are written by writeValue");
        }
    }

    private static void writeInteger(GgufOutput out, GgufValueType type, long value) throws IOException {
        switch (type.minBytes()) {
            case 1 -> out.u8((int) value);
            case 2 -> out.u16((int) value);
            case 4 -> out.u32(value);
            default -> out.u64(value);
        }
    }
}
