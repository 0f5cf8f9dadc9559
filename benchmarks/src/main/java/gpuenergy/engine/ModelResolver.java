package gpuenergy.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuenergy.options.ParamOption;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.BadInputException;
import gpuenergy.results.JsonFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves {@code -p model=} for an engine.
 *
 * <ul>
 *   <li>a name: {@code <models>/<name>/<name>-<format>.pt} with its record {@code <models>/<name>/<name>.json};
 *       the models directory is the system property gpuenergy.models, else env GPUENERGY_MODELS, else ./models.
 *       A model embedded in the jar (resources/models/...) is used when the directory lacks it.</li>
 *   <li>a path to a model file (TorchScript {@code .pt}, or {@code .onnx} for TensorRT): its record is looked up
 *       beside it ({@code <name>.json} for {@code <name>-<format>.pt} or {@code <name>.onnx}); without one the file
 *       is unchecked.</li>
 *   <li>a URL (anything with {@code ://}, e.g. file:, https:, djl://): handed to DJL's Criteria, always unchecked.</li>
 * </ul>
 */
public final class ModelResolver {
    public static final String EMBEDDED_MODEL = "mobilenetv3_small_100";
    private static final String[] FORMATS = {"opt-fp32", "opt-fp16", "fp32", "fp16"};

    private ModelResolver() {}

    public static Path modelsDir() {
        String dir = SuiteSetting.MODELS.value();
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("GPUENERGY_MODELS");
        }
        return Path.of(dir == null || dir.isBlank() ? "models" : dir).toAbsolutePath().normalize();
    }

    public static Artifact resolve(String model, InferenceEngine engine) {
        if (model == null || model.isBlank()) {
            throw NotRunException.error("model '' is empty; accepted: " + acceptedModels());
        }
        if (model.contains("://")) {
            return new Artifact(model, "url", null, inputShape(null));
        }
        if (model.contains("/") || model.endsWith(".pt") || model.endsWith(".pth") || model.endsWith(".onnx")) {
            return fromPath(Path.of(model).toAbsolutePath().normalize(), engine);
        }
        return fromName(model, engine);
    }

    private static Artifact fromName(String name, InferenceEngine engine) {
        Path dir = modelsDir().resolve(name);
        Path file = dir.resolve(engine.artifactFile(name));
        if (Files.isRegularFile(file)) {
            JsonObject meta = readJson(dir.resolve(name + ".json"));
            return new Artifact(file.toString(), "models-dir", numerics(meta, engine.artifactFormat(), file), inputShape(meta));
        }
        String resource = "/models/" + name + "/" + engine.artifactFile(name);
        if (ModelResolver.class.getResource(resource) != null) {
            return embedded(name, engine, resource);
        }
        String export = "python3 tools/export_models.py --models " + name + " --out " + modelsDir();
        if (Files.isDirectory(dir) || inCatalog(name)) {
            throw NotRunException.error("model '" + name + "' has no " + engine.artifactFormat() + " artifact: " + file
                    + (Files.isDirectory(file) ? " is a directory, not a model file" : " is missing") + "; export it with: " + export);
        }
        throw NotRunException.error("unknown model '" + name + "': no " + file + "; accepted: " + acceptedModels()
                + " (export a catalog model with: " + export + ")");
    }

    /**
     * The jar's model, extracted once per content (the hash of its record) to a cache directory, and again whenever
     * the cached copy no longer matches the SHA-256 of its record (corrupted in place): the jar holds the good copy.
     */
    private static Artifact embedded(String name, InferenceEngine engine, String resource) {
        String jsonResource = "/models/" + name + "/" + name + ".json";
        byte[] json = readResource(jsonResource);
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "gpuenergy-" + System.getProperty("user.name"),
                "embedded", name + "-" + sha256(json == null ? resource.getBytes(StandardCharsets.UTF_8) : json));
        Path file = cache.resolve(engine.artifactFile(name));
        JsonObject meta = json == null ? null : parse(new String(json, StandardCharsets.UTF_8), jsonResource);
        JsonObject numerics = numerics(meta, engine.artifactFormat(), file);
        Artifact cached = new Artifact(file.toString(), "embedded", numerics, inputShape(meta));
        if (Files.isRegularFile(file) && (numerics == null || !numerics.has("sha256")
                || numerics.get("sha256").getAsString().equalsIgnoreCase(cached.sha256()))) {
            return cached;
        }
        try {
            Files.createDirectories(cache);
            // a whole copy renamed over the old one: a concurrent run reads either copy whole, never a torn one
            Path tmp = Files.createTempFile(cache, "extract", ".tmp");
            try (InputStream in = ModelResolver.class.getResourceAsStream(resource)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw NotRunException.error("cannot extract the embedded model " + resource + " to " + cache + ": " + e.getMessage());
        }
        return new Artifact(file.toString(), "embedded", numerics, inputShape(meta));
    }

    private static Artifact fromPath(Path file, InferenceEngine engine) {
        if (Files.isDirectory(file)) {
            // a model's directory given for its file: the file the engine takes there, where it has one
            Path inside = file.getFileName() == null ? null : file.resolve(engine.artifactFile(file.getFileName().toString()));
            throw NotRunException.error("model file " + file + " is a directory, not a model file" + (inside != null && Files.isRegularFile(inside)
                    ? " (engine '" + engine.name() + "' takes " + inside + ")" : "") + "; accepted: " + acceptedModels());
        }
        if (!Files.isRegularFile(file)) {
            throw NotRunException.error("model file " + file + " does not exist; accepted: " + acceptedModels());
        }
        String fileName = file.getFileName().toString();
        String stem = fileName.replaceFirst("\\.(pth?|onnx)$", "");
        // the record is <name>.json beside the file: the model's name, which names its other artifacts where the
        // record does not
        String name = stem;
        for (String format : FORMATS) {
            if (stem.endsWith("-" + format)) {
                name = stem.substring(0, stem.length() - format.length() - 1);
                break;
            }
        }
        JsonObject meta = name.equals(stem) && !fileName.endsWith(".onnx") ? null
                : readJson(file.resolveSibling(name + ".json"));
        JsonObject numerics = null;
        if (meta != null && meta.has("artifacts")) {
            for (var e : meta.getAsJsonObject("artifacts").entrySet()) {
                JsonObject rec = e.getValue().getAsJsonObject();
                if (rec.has("file") && fileName.equals(rec.get("file").getAsString())) {
                    if (!e.getKey().equals(engine.artifactFormat())) {
                        throw NotRunException.error("model file " + file + " is the '" + e.getKey() + "' artifact but engine '"
                                + engine.name() + "' needs the '" + engine.artifactFormat() + "' artifact ("
                                + engine.artifactFile(meta.has("name") ? meta.get("name").getAsString() : name) + ")");
                    }
                    numerics = rec;
                }
            }
        }
        return new Artifact(file.toString(), "path", numerics, inputShape(meta));
    }

    private static JsonObject numerics(JsonObject meta, String format, Path file) {
        if (meta == null || !meta.has("artifacts") || !meta.getAsJsonObject("artifacts").has(format)) {
            return null;
        }
        JsonObject rec = meta.getAsJsonObject("artifacts").getAsJsonObject(format);
        // a record for another file (stale export) does not vouch for this one
        return rec.has("file") && !rec.get("file").getAsString().equals(file.getFileName().toString()) ? null : rec;
    }

    /** (C, H, W) from the export record, else the system property gpuenergy.inputShape (C,H,W), else 3,224,224. */
    static long[] inputShape(JsonObject meta) {
        if (meta != null && meta.has("input_size")) {
            JsonArray a = meta.getAsJsonArray("input_size");
            return new long[] {a.get(0).getAsLong(), a.get(1).getAsLong(), a.get(2).getAsLong()};
        }
        String prop = SuiteSetting.INPUT_SHAPE.value();
        if (prop == null) {
            return Artifact.DEFAULT_INPUT.clone();
        }
        long[] shape = SuiteSetting.shape(prop);
        if (shape == null) {
            throw NotRunException.error(SuiteSetting.INPUT_SHAPE.notAccepted(prop));
        }
        return shape;
    }

    /**
     * The record {@code json}, or null where there is none; one that cannot be read (not UTF-8 text, not this user's)
     * or parsed is one line naming it ({@link JsonFile#read}).
     */
    private static JsonObject readJson(Path json) {
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            return record(JsonFile.read(json, "model record", "re-export the model"), json.toString());
        } catch (BadInputException e) {
            throw NotRunException.error(e.getMessage());
        }
    }

    private static JsonObject parse(String text, String where) {
        JsonElement e = null;
        try {
            e = JsonParser.parseString(text);
        } catch (JsonParseException ignored) {
            // reported by record
        }
        return record(e, where);
    }

    /** {@code e} as the record tools/export_models.py writes, or one line naming {@code where} and what is wrong. */
    private static JsonObject record(JsonElement e, String where) {
        JsonObject record = e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
        String bad = record == null ? "is not the JSON object tools/export_models.py writes" : badField(record);
        if (bad != null) {
            throw NotRunException.error("model record " + where + " " + bad + "; re-export the model");
        }
        return record;
    }

    /**
     * The first field the suite reads from a record that is not of the type tools/export_models.py writes, or null:
     * a record edited by hand is refused naming the field, not read as a Java cast error or as "null".
     */
    static String badField(JsonObject record) {
        if (record.has("name") && !isString(record.get("name"))) {
            return "has 'name' " + record.get("name") + ", not a string";
        }
        if (record.has("input_size")) {
            JsonElement size = record.get("input_size");
            if (!size.isJsonArray() || size.getAsJsonArray().size() != 3 || !size.getAsJsonArray().asList().stream()
                    .allMatch(d -> wholeNumber(d) > 0)) {
                return "has 'input_size' " + size + ", not three positive integers (C, H, W)";
            }
        }
        if (!record.has("artifacts")) {
            return null;
        }
        if (!record.get("artifacts").isJsonObject()) {
            return "has 'artifacts' " + record.get("artifacts") + ", not an object of artifact records";
        }
        for (var e : record.getAsJsonObject("artifacts").entrySet()) {
            String field = "'artifacts." + e.getKey();
            if (!e.getValue().isJsonObject()) {
                return "has " + field + "' " + e.getValue() + ", not an artifact record";
            }
            JsonObject artifact = e.getValue().getAsJsonObject();
            JsonElement passed = artifact.get("passed");
            if (artifact.has("file") && !isString(artifact.get("file"))) {
                return "has " + field + ".file' " + artifact.get("file") + ", not a string";
            }
            // absent: no numerics verdict, which the gate refuses unless unchecked artifacts are allowed
            if (passed != null && !(passed.isJsonPrimitive() && passed.getAsJsonPrimitive().isBoolean())) {
                return "has " + field + ".passed' " + passed + ", not true or false";
            }
            if (artifact.has("sha256") && !isString(artifact.get("sha256"))) {
                return "has " + field + ".sha256' " + artifact.get("sha256") + ", not a string";
            }
            if (artifact.has("bytes") && wholeNumber(artifact.get("bytes")) < 0) {
                return "has " + field + ".bytes' " + artifact.get("bytes") + ", not a size in bytes";
            }
        }
        return null;
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    /** The JSON number as a long where it is a whole number; -1 otherwise. */
    private static long wholeNumber(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return -1;
        }
        try {
            return e.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException notWhole) {
            return -1;
        }
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = ModelResolver.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return Sha256.of(bytes).substring(0, 12);
    }

    /** Names of the model catalog (resources/catalog.csv), when this build has one. */
    static Set<String> catalog() {
        return new TreeSet<>(ParamOption.catalogNames());
    }

    private static boolean inCatalog(String name) {
        return catalog().contains(name);
    }

    static String acceptedModels() {
        return "a model name exported to " + modelsDir() + " (" + EMBEDDED_MODEL + " is embedded; catalog: "
                + (catalog().isEmpty() ? "none in this build" : catalog().size() + " names in catalog.csv")
                + "), a path to a model file (.pt TorchScript; .onnx for tensorrt-fp16), or a URL DJL's Criteria accepts";
    }
}
