package io.github.infer4j.internal.json;

import java.util.List;

/** A JSON array with typed getters by index; errors name the element's path, e.g. {@code added_tokens[3]}. */
public final class JsonArray extends JsonContainer {
    private final List<Object> elements;

    JsonArray(List<Object> elements, String source, String path) {
        super(source, path);
        this.elements = elements;
    }

    public int size() {
        return elements.size();
    }

    public JsonType typeOf(int index) {
        return JsonType.of(elements.get(index));
    }

    public String getString(int index) {
        return string(elements.get(index), index);
    }

    public long getLong(int index) {
        return longValue(elements.get(index), index);
    }

    public int getInt(int index) {
        return intValue(elements.get(index), index);
    }

    public double getDouble(int index) {
        return doubleValue(elements.get(index), index);
    }

    public boolean getBoolean(int index) {
        return booleanValue(elements.get(index), index);
    }

    public JsonObject getObject(int index) {
        return object(elements.get(index), index);
    }

    public JsonArray getArray(int index) {
        return array(elements.get(index), index);
    }

    /** An error about the element at {@code index}. */
    public JsonException invalid(int index, String problem) {
        return invalidMember(index, problem);
    }

    /** An error about this array as a whole. */
    public JsonException invalid(String problem) {
        return new JsonException(source(), path() + ": " + problem);
    }

    @Override
    boolean absent(Object member) {
        return false;
    }

    @Override
    public String toString() {
        return "JsonArray[" + source() + " " + path() + ", " + elements.size() + " elements]";
    }
}
