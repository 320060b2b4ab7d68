package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.spi.Availability;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.BackendProvider;
import io.github.infer4j.spi.KvCacheSpec;
import io.github.infer4j.tensor.DType;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuVectorBackendProviderTest {
    @Test
    void isFoundThroughServiceLoaderWithItsNameAndPriority() {
        List<BackendProvider> providers = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(providers).extracting(BackendProvider::name).contains("cpu-vector", "reference");
        BackendProvider cpu = providers.stream().filter(p -> p.name().equals("cpu-vector")).findFirst().orElseThrow();
        assertThat(cpu.priority()).isEqualTo(100);
        assertThat(cpu).isInstanceOf(CpuVectorBackendProvider.class);
    }

    @Test
    void isAvailableWhenTheVectorApiIsLoaded() {
        Availability availability = new CpuVectorBackendProvider().availability();
        assertThat(availability.available()).isTrue();
        assertThat(availability.reason()).contains(Simd.hardwareBits() + "-bit");
    }

    @Test
    void reportsWhyItIsUnavailableOnAJvmWithoutTheVectorModule() throws Exception {
        String classPath = String.join(File.pathSeparator, location(CpuVectorBackendProvider.class),
                location(BackendProvider.class), location(UnavailableProbe.class));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classPath, UnavailableProbe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("available=false").contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void createsABackendAtTheRequestedVectorSizeAndThreads() {
        try (Backend backend = create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "128", "threads", "3"))) {
            assertThat(backend.name()).isEqualTo("cpu-vector");
            assertThat(backend.toString()).contains("128-bit").contains("3 threads");
            assertThat(backend.supportedWeightTypes()).isEqualTo(EnumSet.allOf(DType.class));
        }
    }

    @Test
    void rejectsVectorSizesItHasNoKernelsFor() {
        assertThatThrownBy(() -> create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "64")))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("cpu.vector.bits")
                .hasMessageContaining("64");
        assertThatThrownBy(() -> create(Map.of(CpuVectorBackendProvider.VECTOR_BITS, "wide")))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("wide");
        assertThatThrownBy(() -> create(Map.of("threads", "0")))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("threads");
    }

    @Test
    void aClosedBackendRefusesWorkAndFreesItsCaches() {
        Backend backend = create(Map.of("threads", "2"));
        var cache = backend.newKvCache(new KvCacheSpec(1, 1, 8, 4, DType.F16));
        backend.close();
        assertThat(((CpuKvCache) cache).usableBy((CpuVectorBackend) backend)).isFalse();
        assertThatThrownBy(() -> backend.newKvCache(new KvCacheSpec(1, 1, 8, 4, DType.F16)))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("closed");
        backend.close();
    }

    private static Backend create(Map<String, String> options) {
        return new CpuVectorBackendProvider().create(new BackendOptions(options));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Runs in a JVM started without {@code --add-modules jdk.incubator.vector}. */
    static final class UnavailableProbe {
        public static void main(String[] args) {
            Availability availability = new CpuVectorBackendProvider().availability();
            System.out.println("available=" + availability.available() + " reason=" + availability.reason());
        }
    }
}
