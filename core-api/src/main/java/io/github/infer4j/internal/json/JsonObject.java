package io.github.infer4j.internal.json;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object with typed getters. A getter without a default fails with a {@link JsonException} naming the
 * document, the member's path and what was expected when the member is missing, null or of another type. Getters
 * with a default, and the {@code find} methods, treat a null member like a missing one: configuration files write
 * {@code "rope_scaling": null} to mean "none".
 */
public final class JsonObject extends JsonContainer {
    private final Map<String, Object> members;

    JsonObject(Map<String, Object> members, String source, String path) {
        super(source, path);
        this.members = members;
    }

    /** Member names in document order. */
    public Set<String> keys() {
        return members.keySet();
    }

    public int size() {
        return members.size();
    }

    /** Whether the member is present and not null. */
    public boolean has(String key) {
        return members.get(key) != null;
    }

    /** The kind of the member; {@link JsonType#NULL} when it is null or missing. */
    public JsonType typeOf(String key) {
        return JsonType.of(members.get(key));
    }

    public String getString(String key) {
        return string(members.get(key), key);
    }

    public String getString(String key, String dflt) {
        Object v = members.get(key);
        return v == null ? dflt : string(v, key);
    }

    public long getLong(String key) {
        return longValue(members.get(key), key);
    }

    public int getInt(String key) {
        return intValue(members.get(key), key);
    }

    public int getInt(String key, int dflt) {
        Object v = members.get(key);
        return v == null ? dflt : intValue(v, key);
    }

    public double getDouble(String key) {
        return doubleValue(members.get(key), key);
    }

    public double getDouble(String key, double dflt) {
        Object v = members.get(key);
        return v == null ? dflt : doubleValue(v, key);
    }

    public boolean getBoolean(String key) {
        return booleanValue(members.get(key), key);
    }

    public boolean getBoolean(String key, boolean dflt) {
        Object v = members.get(key);
        return v == null ? dflt : booleanValue(v, key);
    }

    public JsonObject getObject(String key) {
        return object(members.get(key), key);
    }

    public Optional<JsonObject> findObject(String key) {
        Object v = members.get(key);
        return v == null ? Optional.empty() : Optional.of(object(v, key));
    }

    public JsonArray getArray(String key) {
        return array(members.get(key), key);
    }

    public Optional<JsonArray> findArray(String key) {
        Object v = members.get(key);
        return v == null ? Optional.empty() : Optional.of(array(v, key));
    }

    /** An error about a well-formed member whose value cannot be used, in the same words as the getters'. */
    public JsonException invalid(String key, String problem) {
        return invalidMember(key, problem);
    }

    /** An error about this object as a whole. */
    public JsonException invalid(String problem) {
        return new JsonException(source(), (path().isEmpty() ? "" : path() + ": ") + problem);
    }

    @Override
    boolean absent(Object member) {
        return !members.containsKey(member);
    }

    @Override
    public String toString() {
        return "JsonObject[" + source() + (path().isEmpty() ? "" : " " + path()) + ", " + members.size() + " members]";
    }
}
