package io.github.infer4j.internal;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void codeWinsOverSystemPropertyOverEnvironmentOverClasspathFile() {
        Properties file = props("infer4j.backend", "from-file", "infer4j.threads", "1", "infer4j.kv.type", "F32",
                "infer4j.context", "64");
        Map<String, String> env = Map.of("INFER4J_BACKEND", "from-env", "INFER4J_THREADS", "2", "INFER4J_KV_TYPE", "F16");
        Properties sys = props("infer4j.backend", "from-sys", "infer4j.threads", "3");
        Configuration c = new Configuration(Map.of("backend", "from-code"), sys, env, file);

        assertThat(c.get("backend")).contains("from-code");
        assertThat(c.sourceOf("backend")).isEqualTo("code");
        assertThat(c.get("threads")).contains("3");
        assertThat(c.sourceOf("threads")).isEqualTo("system property infer4j.threads");
        assertThat(c.get("kv.type")).contains("F16");
        assertThat(c.sourceOf("kv.type")).isEqualTo("environment variable INFER4J_KV_TYPE");
        assertThat(c.get("context")).contains("64");
        assertThat(c.sourceOf("context")).isEqualTo("infer4j.properties");
    }

    @Test
    void unrelatedPropertiesAndBlankValuesAreIgnored() {
        Configuration c = new Configuration(Map.of(), props("user.home", "/x", "infer4j.backend", "  "),
                Map.of("PATH", "/bin"), new Properties());
        assertThat(c.get("backend")).isEmpty();
        assertThat(c.asMap()).doesNotContainKey("user.home");
    }

    @Test
    void badIntegerNamesTheKeyAndItsSource() {
        Configuration c = new Configuration(Map.of(), props("infer4j.context", "lots"), Map.of(), new Properties());
        assertThatThrownBy(() -> c.getInt("context", 1))
                .isInstanceOf(Infer4jException.class)
                .hasMessageContaining("infer4j.context")
                .hasMessageContaining("system property")
                .hasMessageContaining("lots");
    }
}
