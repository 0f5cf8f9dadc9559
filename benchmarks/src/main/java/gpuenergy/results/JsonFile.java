package gpuenergy.results;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a whole JSON file, with every problem as a {@link BadInputException} of one line that names the file
 * and says what is wrong in the user's terms ("is empty", "not valid JSON at line 3"), never a parser's class name or
 * its advice to the programmer.
 */
public final class JsonFile {
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private JsonFile() {}

    /**
     * @param what what the file should be, for the messages ("reference file"); "" for a result file
     * @param expected what a good file holds, appended to a "not valid JSON" line
     */
    public static JsonElement read(Path file, String what, String expected) throws BadInputException {
        String name = what.isEmpty() ? "" : " " + what;
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory, not a" + name + " file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such" + name + " file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text; " + expected);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read" + name + " file (" + IoMessage.reason(e) + ")");
        }
        if (text.isBlank()) {
            throw new BadInputException(file + ": is empty (" + text.length() + " bytes; a run killed before it wrote "
                    + "anything leaves such a file); " + expected);
        }
        try (JsonReader r = new JsonReader(new java.io.StringReader(text))) {
            // lenient as JsonParser is: Python's json writes NaN bare (python_eager_reference.py), JMH as "NaN"
            r.setStrictness(Strictness.LENIENT);
            JsonElement root = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new BadInputException(file + ": not valid JSON" + at(r.toString()) + " (more after the first value); "
                        + expected);
            }
            return root;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new BadInputException(file + ": not valid JSON" + at(messages(e)) + "; " + expected);
        }
    }

    /**
     * The members of an object the suite writes from a map of strings (a result's environment and parameters, a trial
     * record's parameters, an overhead run's configuration); empty for null. Each member is a {@link #string}: a number,
     * a boolean, null, an array or an object is no text any writer gave and is refused, naming it {@code name.KEY}
     * ("environment.gpu.name is the number 5, expected a string").
     */
    public static Map<String, String> strings(JsonObject o, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        if (o != null) {
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                map.put(e.getKey(), string(e.getValue(), name + "." + e.getKey()));
            }
        }
        return map;
    }

    /** An object, where a file's format has one; else {@link #shape}'s exception naming it {@code name}. */
    static JsonObject object(JsonElement e, String name) {
        if (!e.isJsonObject()) {
            throw shape(name, e, "an object");
        }
        return e.getAsJsonObject();
    }

    /**
     * A string where the suite's files hold one: JMH and the suite's writers write every such field as a string, so a
     * number, a boolean or null there is no text any run gave ("batchSize": 16.0 would read as the parameter "16.0").
     */
    static String string(JsonElement e, String name) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw shape(name, e, "a string");
    }

    /**
     * "NAME is an array, expected an object": a value of another shape than the file's format, in JSON's terms, for the
     * line that names the file (never the parser's words: "JsonNull", a Java class that cannot be cast).
     */
    static IllegalArgumentException shape(String name, JsonElement e, String expected) {
        String is = e.isJsonNull() ? "null" : e.isJsonObject() ? "an object" : e.isJsonArray() ? "an array"
                : e.getAsJsonPrimitive().isBoolean() ? e.toString() : e.getAsJsonPrimitive().isString()
                ? "the string " + quoted(e) : "the number " + quoted(e);
        return new IllegalArgumentException(name + " is " + is + ", expected " + expected);
    }

    /** The most of a value a line quotes: a string in a file may be megabytes long, and the line is read in a terminal. */
    private static final int QUOTED = 60;

    /** {@code e} as JSON, cut to {@link #QUOTED} characters with "..." where it is longer. */
    private static String quoted(JsonElement e) {
        String json = e.toString();
        return json.length() <= QUOTED ? json : json.substring(0, QUOTED - 3) + "... (" + json.length() + " characters)";
    }

    /** " at line N" from a parser's message; "" when it names no position. */
    private static String at(String message) {
        Matcher m = POSITION.matcher(message);
        return m.find() ? " at line " + m.group(1) + ", column " + m.group(2) : "";
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 10_000; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
