package io.github.infer4j.chat;

import io.github.infer4j.chat.jinja.JinjaTemplate;
import io.github.infer4j.chat.jinja.TemplateRaisedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chat templates the supported model families ship (test resources {@code chat-templates/}, origins in the
 * README there), rendered for a system + user + assistant + user conversation with and without the generation
 * prompt. Each expected string is derived by hand from the template's text, as Hugging Face renders it
 * ({@code trim_blocks} and {@code lstrip_blocks} on), and the derivation is written next to it. The BOS text is
 * kept ({@code tokenizerAddsBos = false}) so that the strings are exactly Python's.
 *
 * <p>The assistant answer is {@code "  Paris.\n"}: whether a template trims it is part of the format.
 */
class ModelChatTemplatesTest {
    static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a terse assistant."),
            ChatMessage.user("What is the capital of France?"),
            ChatMessage.assistant("  Paris.\n"),
            ChatMessage.user("And of Italy?"));
    /** Llama 3.2 prints today's date; the tests fix it. */
    static final Clock SEPTEMBER_5_2024 = Clock.fixed(Instant.parse("2024-09-05T10:00:00Z"), ZoneOffset.UTC);

    static String resource(String file) {
        try (InputStream in = ModelChatTemplatesTest.class.getResourceAsStream("/chat-templates/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource chat-templates/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JinjaChatTemplate template(String file, String bos, String eos) {
        return JinjaChatTemplate.of(resource(file), bos, eos, false).withClock(SEPTEMBER_5_2024);
    }

    record Family(String file, String bos, String eos, String withPrompt, String withoutPrompt) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Family> families() {
        String llama3Turns = "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nAnd of Italy?<|eot_id|>";
        String chatMlTurns = "<|im_start|>system\nYou are a terse assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                + "<|im_start|>assistant\n  Paris.\n<|im_end|>\n"
                + "<|im_start|>user\nAnd of Italy?<|im_end|>\n";
        return Stream.of(
                // Llama 3.1 / 3.3 Instruct: bos_token first; the system message is trimmed and moved into a system
                // header that always carries the knowledge-cutoff line and date_string (default "26 Jul 2024");
                // tools is none, so no "Environment: ipython". Each message is header + content|trim + <|eot_id|>,
                // so "  Paris.\n" becomes "Paris."; the generation prompt is the assistant header.
                new Family("llama-3.1-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                                + "Today Date: 26 Jul 2024\n\nYou are a terse assistant.<|eot_id|>" + llama3Turns
                                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                                + "Today Date: 26 Jul 2024\n\nYou are a terse assistant.<|eot_id|>" + llama3Turns),
                // Llama 3.2 Instruct: as 3.1, but date_string comes from strftime_now("%d %b %Y"): "05 Sep 2024".
                new Family("llama-3.2-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                                + "Today Date: 05 Sep 2024\n\nYou are a terse assistant.<|eot_id|>" + llama3Turns
                                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                                + "Today Date: 05 Sep 2024\n\nYou are a terse assistant.<|eot_id|>" + llama3Turns),
                // Llama 3 Instruct: every message (system included) is header + content|trim + <|eot_id|>; the
                // first one is prefixed with bos_token.
                new Family("llama-3-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a terse assistant.<|eot_id|>"
                                + llama3Turns + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a terse assistant.<|eot_id|>"
                                + llama3Turns),
                // Qwen2.5 Instruct: no tools, so the first (system) message is written as a ChatML system turn; the
                // loop then writes user turns and assistant turns without tool_calls as
                // <|im_start|>role\ncontent<|im_end|>\n, untrimmed; the system message is skipped as loop.first.
                new Family("qwen2.5-instruct.jinja", "", "<|im_end|>",
                        chatMlTurns + "<|im_start|>assistant\n", chatMlTurns),
                // Qwen3: the same ChatML turns. last_query_index is the last user message (index 3), and only
                // assistant messages after it get a <think> block, so the earlier answer is written as is; with
                // enable_thinking undefined the generation prompt is just the assistant opening.
                new Family("qwen3.jinja", "", "<|im_end|>", chatMlTurns + "<|im_start|>assistant\n", chatMlTurns),
                // Mistral v3 (Mistral-7B-Instruct-v0.3): the system message is taken out and, since there are no
                // tools, prepended with "\n\n" to the LAST user message. User turns are "[INST] " + content +
                // "[/INST]", assistant turns " " + content|trim + eos_token. There is no generation prompt, so both
                // renderings are the same.
                new Family("mistral-v0.3-instruct.jinja", "<s>", "</s>",
                        "<s>[INST] What is the capital of France?[/INST] Paris.</s>"
                                + "[INST] You are a terse assistant.\n\nAnd of Italy?[/INST]",
                        "<s>[INST] What is the capital of France?[/INST] Paris.</s>"
                                + "[INST] You are a terse assistant.\n\nAnd of Italy?[/INST]"),
                // Gemma 3 it: bos_token, then the system text + "\n\n" opens the first user turn (first_user_prefix,
                // untrimmed); each turn is <start_of_turn>role\n + content|trim + <end_of_turn>\n with assistant
                // renamed to model; the generation prompt is <start_of_turn>model\n.
                new Family("gemma-3-it.jinja", "<bos>", "<eos>",
                        "<bos><start_of_turn>user\nYou are a terse assistant.\n\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"
                                + "<start_of_turn>model\n",
                        "<bos><start_of_turn>user\nYou are a terse assistant.\n\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"),
                // Gemma 2 it raises "System role not supported" for a system message, so JinjaChatTemplate merges
                // it into the first user message with "\n" (llama.cpp's rule), then the template renders turns as
                // Gemma 3 does, after bos_token.
                new Family("gemma-2-it.jinja", "<bos>", "<eos>",
                        "<bos><start_of_turn>user\nYou are a terse assistant.\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"
                                + "<start_of_turn>model\n",
                        "<bos><start_of_turn>user\nYou are a terse assistant.\nWhat is the capital of France?<end_of_turn>\n"
                                + "<start_of_turn>model\nParis.<end_of_turn>\n<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"),
                // Phi-3.5 mini instruct: <|role|>\n + content (untrimmed) + <|end|>\n for each message; then
                // <|assistant|>\n as the generation prompt, or eos_token when there is none.
                new Family("phi-3.5-mini-instruct.jinja", "<s>", "<|endoftext|>",
                        "<|system|>\nYou are a terse assistant.<|end|>\n<|user|>\nWhat is the capital of France?<|end|>\n"
                                + "<|assistant|>\n  Paris.\n<|end|>\n<|user|>\nAnd of Italy?<|end|>\n<|assistant|>\n",
                        "<|system|>\nYou are a terse assistant.<|end|>\n<|user|>\nWhat is the capital of France?<|end|>\n"
                                + "<|assistant|>\n  Paris.\n<|end|>\n<|user|>\nAnd of Italy?<|end|>\n<|endoftext|>"),
                // Phi-3 mini (earlier template revision): bos_token, then each user message as <|user|>\n + content +
                // <|end|>\n<|assistant|>\n and each answer as content + <|end|>\n. System messages are skipped
                // silently (Python renders none either: only templates that refuse them get them merged).
                new Family("phi-3-mini-instruct.jinja", "<s>", "<|endoftext|>",
                        "<s><|user|>\nWhat is the capital of France?<|end|>\n<|assistant|>\n  Paris.\n<|end|>\n"
                                + "<|user|>\nAnd of Italy?<|end|>\n<|assistant|>\n",
                        "<s><|user|>\nWhat is the capital of France?<|end|>\n<|assistant|>\n  Paris.\n<|end|>\n"
                                + "<|user|>\nAnd of Italy?<|end|>\n<|assistant|>\n"),
                // SmolLM2 Instruct: plain ChatML; its default system turn appears only when the first message is
                // not a system message.
                new Family("smollm2-instruct.jinja", "<|im_start|>", "<|im_end|>",
                        chatMlTurns + "<|im_start|>assistant\n", chatMlTurns),
                // Zephyr 7B beta: one statement per line. trim_blocks removes the newline after each {% %} tag but
                // not after {{ }}, so each message is <|role|>\n + content + eos_token + "\n"; after the last one
                // the generation prompt line gives "<|assistant|>\n".
                new Family("zephyr-7b-beta.jinja", "<s>", "</s>",
                        "<|system|>\nYou are a terse assistant.</s>\n<|user|>\nWhat is the capital of France?</s>\n"
                                + "<|assistant|>\n  Paris.\n</s>\n<|user|>\nAnd of Italy?</s>\n<|assistant|>\n",
                        "<|system|>\nYou are a terse assistant.</s>\n<|user|>\nWhat is the capital of France?</s>\n"
                                + "<|assistant|>\n  Paris.\n</s>\n<|user|>\nAnd of Italy?</s>\n"),
                // Llama 2 chat: the system message is wrapped in <<SYS>> tags into the first user message; every user
                // turn is bos_token + "[INST] " + content.strip() + " [/INST]", every answer " " + strip + " " +
                // eos_token. No generation prompt.
                new Family("llama-2-chat.jinja", "<s>", "</s>",
                        "<s>[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + " Paris. </s><s>[INST] And of Italy? [/INST]",
                        "<s>[INST] <<SYS>>\nYou are a terse assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST]"
                                + " Paris. </s><s>[INST] And of Italy? [/INST]"));
    }

    @ParameterizedTest
    @MethodSource("families")
    void rendersTheConversationAsPythonDoes(Family family) {
        JinjaChatTemplate template = template(family.file(), family.bos(), family.eos());
        assertThat(template.render(CONVERSATION, true)).isEqualTo(family.withPrompt());
        assertThat(template.render(CONVERSATION, false)).isEqualTo(family.withoutPrompt());
    }

    @Test
    void gemma2ItselfRefusesSystemMessagesButRendersPlainTurns() {
        JinjaTemplate raw = JinjaTemplate.parse(resource("gemma-2-it.jinja"));
        Map<String, Object> withSystem = Map.of("messages", List.of(Map.of("role", "system", "content", "x")),
                "bos_token", "<bos>");
        assertThatThrownBy(() -> raw.render(withSystem)).isInstanceOf(TemplateRaisedException.class)
                .hasMessage("System role not supported");
        // Without a system message nothing is merged: the rendering is the template's own.
        assertThat(template("gemma-2-it.jinja", "<bos>", "<eos>").render(CONVERSATION.subList(1, 4), true))
                .isEqualTo("<bos><start_of_turn>user\nWhat is the capital of France?<end_of_turn>\n"
                        + "<start_of_turn>model\nParis.<end_of_turn>\n<start_of_turn>user\nAnd of Italy?<end_of_turn>\n"
                        + "<start_of_turn>model\n");
    }

    @Test
    void defaultSystemPromptsAppearWhenTheConversationHasNone() {
        List<ChatMessage> hello = List.of(ChatMessage.user("Hi"));
        assertThat(template("qwen2.5-instruct.jinja", "", "<|im_end|>").render(hello, true))
                .isEqualTo("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(template("smollm2-instruct.jinja", "<|im_start|>", "<|im_end|>").render(hello, true))
                .isEqualTo("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        // Llama 3.1 writes an empty system text after the date lines.
        assertThat(template("llama-3.1-instruct.jinja", "<|begin_of_text|>", "<|eot_id|>").render(hello, false))
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                        + "Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>");
    }

    @Test
    void qwen3DropsTheReasoningOfEarlierAnswersAndKeepsItAfterTheLastQuestion() {
        JinjaChatTemplate qwen3 = template("qwen3.jinja", "", "<|im_end|>");
        String answer = "<think>\nLet me see.\n</think>\n\nParis.";
        // The answer precedes the last user message: split('</think>')[-1].lstrip('\n') keeps only "Paris.".
        assertThat(qwen3.render(List.of(ChatMessage.user("Q1"), ChatMessage.assistant(answer), ChatMessage.user("Q2")), true))
                .isEqualTo("<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\nParis.<|im_end|>\n"
                        + "<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n");
        // The last message, after the last question: the reasoning is written back in a normalised <think> block.
        assertThat(qwen3.render(List.of(ChatMessage.user("Q1"), ChatMessage.assistant(answer)), false))
                .isEqualTo("<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\n<think>\nLet me see.\n</think>\n\nParis.<|im_end|>\n");
    }

    /**
     * Tool definitions and tool calls, which Chat does not send yet but the templates' JSON paths exercise:
     * {@code tojson} (compact and with {@code indent=4}, keys in insertion order), {@code 'tool_calls' in message},
     * and Llama 3.1 writing a string tool result through {@code tojson} because strings count as iterable.
     */
    @Test
    void toolDefinitionsAndToolCallsRenderAsInPython() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", "object");
        parameters.put("properties", Map.of("city", Map.of("type", "string")));
        parameters.put("required", List.of("city"));
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", "get_weather");
        function.put("description", "Weather in a city");
        function.put("parameters", parameters);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", function);
        Map<String, Object> call = Map.of("type", "function",
                "function", Map.of("name", "get_weather", "arguments", Map.of("city", "Paris")));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("messages", List.of(Map.of("role", "user", "content", "Weather in Paris?"),
                Map.of("role", "assistant", "content", "", "tool_calls", List.of(call)),
                Map.of("role", "tool", "content", "22°C")));
        variables.put("tools", List.of(tool));
        variables.put("add_generation_prompt", true);
        variables.put("bos_token", "<|begin_of_text|>");
        String toolJson = "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": "
                + "\"Weather in a city\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": "
                + "{\"type\": \"string\"}}, \"required\": [\"city\"]}}}";
        // Qwen2.5: the default system text, then the tools block with one compact JSON line per tool; the call is
        // a <tool_call> block inside the assistant turn, the result a <tool_response> inside a user turn.
        assertThat(JinjaTemplate.parse(resource("qwen2.5-instruct.jinja")).render(variables))
                .isEqualTo("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n"
                        + "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided "
                        + "with function signatures within <tools></tools> XML tags:\n<tools>\n" + toolJson + "\n</tools>\n\n"
                        + "For each function call, return a json object with function name and arguments within "
                        + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
                        + "<args-json-object>}\n</tool_call><|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                        + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": "
                        + "\"Paris\"}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n22°C\n</tool_response>"
                        + "<|im_end|>\n<|im_start|>assistant\n");
        // Llama 3.1: tools go into the first user message as indented JSON; the call is a JSON object in an
        // assistant turn; the tool turn is ipython with the result as a JSON string.
        assertThat(JinjaTemplate.parse(resource("llama-3.1-instruct.jinja")).render(variables))
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with "
                        + "a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
                        + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and "
                        + "its value}.Do not use variables.\n\n{\n    \"type\": \"function\",\n    \"function\": {\n"
                        + "        \"name\": \"get_weather\",\n        \"description\": \"Weather in a city\",\n"
                        + "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n"
                        + "                \"city\": {\n                    \"type\": \"string\"\n                }\n"
                        + "            },\n            \"required\": [\n                \"city\"\n            ]\n"
                        + "        }\n    }\n}\n\nWeather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                        + "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
                        + "<|start_header_id|>ipython<|end_header_id|>\n\n\"22°C\"<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void templatesRefuseConversationsTheirModelsCannotTake() {
        List<ChatMessage> twoUsers = List.of(ChatMessage.user("a"), ChatMessage.user("b"));
        assertThatThrownBy(() -> template("llama-2-chat.jinja", "<s>", "</s>").render(twoUsers, true))
                .isInstanceOf(TemplateRaisedException.class)
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        assertThatThrownBy(() -> template("mistral-v0.3-instruct.jinja", "<s>", "</s>").render(twoUsers, true))
                .isInstanceOf(TemplateRaisedException.class)
                .hasMessageStartingWith("After the optional system message, conversation roles must alternate");
    }
}
