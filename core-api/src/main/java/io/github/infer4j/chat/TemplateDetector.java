package io.github.infer4j.chat;

/**
 * Names the format of a model's Jinja chat template from marker strings, with llama.cpp's rules in llama.cpp's
 * order. The order matters: several formats share markers (Phi-4 also uses {@code <|im_start|>}), so a rule only
 * applies when no earlier one matched. Formats Infer4j does not render still get their rule, so that their
 * templates are reported as unknown instead of being mistaken for a later, rendered format.
 */
final class TemplateDetector {
    private TemplateDetector() {
    }

    /** llama.cpp's name of the format, or {@code null} when no rule matches. */
    static String family(String template) {
        Markers t = new Markers(template);
        if (t.has("<|im_start|>")) {
            return t.has("<|im_sep|>") ? "phi4" : t.has("<end_of_utterance>") ? "smolvlm" : "chatml";
        }
        if (template.startsWith("mistral") || t.has("[INST]")) {
            return instFamily(t);
        }
        if (t.has("<|assistant|>") && t.has("<|end|>")) {
            return "phi3";
        }
        if (t.has("[gMASK]<sop>")) {
            return "chatglm4";
        }
        if (t.has("<|assistant|>") && t.has("<|user|>")) {
            return t.has("</s>") ? "falcon3" : "glmedge";
        }
        if (t.has("<|{{ item['role'] }}|>") && t.has("<|begin_of_image|>")) {
            return "glmedge";
        }
        if (t.has("<|user|>") && t.has("<|endoftext|>")) {
            return "zephyr";
        }
        if (t.has("bos_token + message['role']")) {
            return "monarch";
        }
        if (t.has("<start_of_turn>")) {
            return "gemma";
        }
        if (t.has("'\\n\\nAssistant: ' + eos_token")) {
            return "orion";
        }
        if (t.has("GPT4 Correct ")) {
            return "openchat";
        }
        if (t.has("USER: ") && t.has("ASSISTANT: ")) {
            return t.has("SYSTEM: ") ? "vicuna-orca" : "vicuna";
        }
        if (t.has("### Instruction:") && t.has("<|EOT|>")) {
            return "deepseek";
        }
        if (t.has("<|START_OF_TURN_TOKEN|>") && t.has("<|USER_TOKEN|>")) {
            return "command-r";
        }
        if (t.has("<|start_header_id|>") && t.has("<|end_header_id|>")) {
            return "llama3";
        }
        // Later llama.cpp rules only name formats Infer4j does not render, so they would change nothing here.
        return null;
    }

    /** The {@code [INST]} formats: Mistral's official templates, else Llama 2 and the variants it inspired. */
    private static String instFamily(Markers t) {
        if (t.has("[SYSTEM_PROMPT]")) {
            return "mistral-v7";
        }
        if (t.has("' [INST] ' + system_message") || t.has("[AVAILABLE_TOOLS]")) {
            if (t.has(" [INST]")) {
                return "mistral-v1";
            }
            return t.has("\"[INST]\"") ? "mistral-v3-tekken" : "mistral-v3";
        }
        if (t.has("content.strip()")) {
            return "llama2-sys-strip";
        }
        if (t.has("bos_token + '[INST]")) {
            return "llama2-sys-bos";
        }
        return t.has("<<SYS>>") ? "llama2-sys" : "llama2";
    }

    private record Markers(String template) {
        boolean has(String marker) {
            return template.contains(marker);
        }
    }
}
