package io.github.infer4j.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Off-heap memory for data that kernels stream through, on transparent huge pages where Linux offers them. With 4 KiB
 * pages a decode step over a gigabyte of weights takes a TLB miss every 4 KiB and the hardware prefetchers stop at
 * every page boundary; 2 MiB pages remove both (measured on Llama-3.2-1B's shape in Q8_0: 10.8-11.0 decoded tokens
 * per second against 10.2-10.5, the two builds taking turns; docs/PERFORMANCE.md). Linux only backs memory with huge
 * pages on request ({@code madvise}, the usual setting of {@code /sys/kernel/mm/transparent_hugepage/enabled}), and
 * only memory not yet touched, so the region is mapped here with {@code mmap} and advised before anything is written
 * to it; the JDK's own allocator zeroes memory as it allocates. Elsewhere, or without native access for this module,
 * or if a call fails, it is plain arena memory.
 */
final class LargePages {
    private static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_HUGEPAGE = 14;
    private static final Calls CALLS = Calls.find();

    private LargePages() {
    }

    /**
     * {@code bytes} of zeroed memory, 64-byte aligned at least, released when {@code arena} closes. An allocation
     * that fails is an {@link OutOfMemoryError}, as the arena's own would be.
     */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (CALLS != null && bytes >= HUGE_PAGE) {
            MemorySegment mapped = CALLS.map(arena, bytes);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, 64);
    }

    /** The C functions, or null where they are not to be used. */
    private record Calls(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {
        static Calls find() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                    || !LargePages.class.getModule().isNativeAccessEnabled()) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                return new Calls(
                        linker.downcallHandle(libc.find("mmap").orElseThrow(),
                                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
                                        JAVA_LONG)),
                        linker.downcallHandle(libc.find("madvise").orElseThrow(),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)),
                        linker.downcallHandle(libc.find("munmap").orElseThrow(),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)));
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A fresh mapping advised for huge pages, starting on a huge-page boundary; null if mmap fails. */
        MemorySegment map(Arena arena, long bytes) {
            long length = bytes + HUGE_PAGE;
            try {
                MemorySegment start = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (start.address() == -1L) {
                    return null;
                }
                long aligned = (start.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
                MemorySegment region = MemorySegment.ofAddress(aligned).reinterpret(bytes, arena,
                        unused -> unmap(start, length));
                // Advice is a hint: memory without huge pages works the same, only slower.
                int ignored = (int) madvise.invokeExact(region, bytes, MADV_HUGEPAGE);
                return region;
            } catch (Throwable e) {
                return null;
            }
        }

        private void unmap(MemorySegment start, long length) {
            try {
                int ignored = (int) munmap.invokeExact(start, length);
            } catch (Throwable e) {
                throw new IllegalStateException("munmap failed", e);
            }
        }
    }
}
