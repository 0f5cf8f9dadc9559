package gpuenergy.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Optional;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A results directory's record of how its runs are measured (option name -> value, in the words of the command line),
 * so that continuing the directory with other settings is refused rather than mixing them in one comparison.
 *
 * @param file        the record's file name in the directory
 * @param refusal     what a refusal starts with, e.g. "--resume: "
 * @param consequence what mixing would do, e.g. "its ladders would mix measurement settings"
 * @param elsewhere   the other way out, e.g. "sweep into another --out"
 */
public record RunSettings(String file, String refusal, String consequence, String elsewhere) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** A list in a refusal's one line. */
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    /**
     * The suite settings that change what a run measures (the allocator's thresholds and libtorch's thread count its
     * pace); where TensorRT's files live and how much it prints do not.
     */
    private static final List<SuiteSetting> MEASURING = List.of(SuiteSetting.ENERGY, SuiteSetting.MODELS,
            SuiteSetting.ALLOW_UNCHECKED, SuiteSetting.INPUT_SHAPE, SuiteSetting.TENSORRT_OPTIMIZATION_LEVEL,
            SuiteSetting.MALLOC, SuiteSetting.TORCH_THREADS);

    /** JMH's options that change a run's figures only when given: they shape the iterations (-opi and -bs only as 1). */
    private static final Map<String, Function<CommandLineOptions, Optional<?>>> JMH_WHEN_GIVEN = new LinkedHashMap<>();

    static {
        JMH_WHEN_GIVEN.put("-opi", CommandLineOptions::getOperationsPerInvocation);
        JMH_WHEN_GIVEN.put("-bs", CommandLineOptions::getMeasurementBatchSize);
        JMH_WHEN_GIVEN.put("-wbs", CommandLineOptions::getWarmupBatchSize);
        JMH_WHEN_GIVEN.put("-si", CommandLineOptions::shouldSyncIterations);
        JMH_WHEN_GIVEN.put("-gc", CommandLineOptions::shouldDoGC);
    }

    /** The keys of {@link #whenGiven}'s settings. */
    private static final List<String> WHEN_GIVEN = Stream.concat(JMH_WHEN_GIVEN.keySet().stream(),
            MEASURING.stream().map(s -> "-D" + s.property())).toList();

    /**
     * A record's list of the settings it holds where given. A record from before they were recorded lacks it, though its
     * runs may have been given any of them (a models directory, most often): those it does not list are not compared.
     */
    static final String RECORDED_WHERE_GIVEN = "recorded where given";

    /**
     * The settings that change a run's figures only when given: JMH's -opi, -bs (both only as 1), -wbs, -si and -gc, and
     * the suite settings of {@link #MEASURING} the forks get ({@link SuiteSetting#forkSettings}: given to this VM, or to
     * the forks with -jvmArgs*, in an @argfile too, whose words count rather than its name), after
     * {@link #RECORDED_WHERE_GIVEN}. Recorded only when given, so a directory measured without them continues with a
     * command that gives none of them either.
     *
     * @throws BadInputException where an @argfile of -jvmArgs* cannot be read
     */
    public static Map<String, String> whenGiven(CommandLineOptions jmh) throws BadInputException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RECORDED_WHERE_GIVEN, String.join(" ", WHEN_GIVEN));
        JMH_WHEN_GIVEN.forEach((option, value) -> {
            Optional<?> v = value.apply(jmh);
            if (v.hasValue()) {
                m.put(option, String.valueOf(v.get()));
            }
        });
        Properties forks = SuiteSetting.forkSettings(jmh);
        MEASURING.stream().filter(s -> forks.getProperty(s.property()) != null)
                .forEach(s -> m.put("-D" + s.property(), forks.getProperty(s.property())));
        return m;
    }

    /** A JMH setting as it applies: the command line's, else the benchmark's annotation, else JMH's default. */
    public static <T> T first(Optional<T> commandLine, Optional<T> annotation, T dflt) {
        return commandLine.orElse(annotation.orElse(dflt));
    }

    /**
     * Refuses, in one line, settings that differ from those {@code dir} was measured with; records them when it has none
     * (a new directory, or one from before the record: then from this command on). Nothing is written when refused.
     */
    public void checkAndRecord(Path dir, Path shownDir, Map<String, ?> now) throws IOException, BadInputException {
        check(dir, shownDir, now);
        record(dir, now);
    }

    /**
     * {@link #checkAndRecord}'s refusal alone, writing nothing: for a command that has more to check before it records
     * anything.
     */
    public void check(Path dir, Path shownDir, Map<String, ?> now) throws IOException, BadInputException {
        Path path = dir.resolve(file);
        if (Files.exists(path)) {
            Map<String, Object> then;
            try {
                then = read(path);
            } catch (JsonParseException e) {
                then = null;
            }
            // an empty file, [] or {} (which Gson reads as a map too) records no setting: no directory was measured so
            if (then == null || then.isEmpty()) {
                throw new BadInputException(refusal + shownDir.resolve(file) + " is not the settings file this command "
                        + "writes; restore it, or " + elsewhere);
            }
            Set<String> listed = then.get(RECORDED_WHERE_GIVEN) == null ? Set.of()
                    : new HashSet<>(Arrays.asList(String.valueOf(then.get(RECORDED_WHERE_GIVEN)).split(" ")));
            List<String> was = new ArrayList<>();
            List<String> is = new ArrayList<>();
            for (String k : union(then, now)) {
                if (k.equals(RECORDED_WHERE_GIVEN) || WHEN_GIVEN.contains(k) && !listed.contains(k)) {
                    continue;
                }
                Object a = then.get(k);
                Object b = now.get(k);
                if (!same(k, a, b)) {
                    was.add(k + " " + shown(a));
                    is.add(k + " " + shown(b));
                }
            }
            if (!was.isEmpty()) {
                throw new BadInputException(refusal + shownDir + " was measured with " + String.join(", ", was)
                        + "; this command gives " + String.join(", ", is) + ": " + consequence + "; give the same options, or "
                        + elsewhere);
            }
        }
    }

    /** {@link #checkAndRecord}'s record alone: {@code now}, where {@code dir} has none. */
    public void record(Path dir, Map<String, ?> now) throws IOException {
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            AtomicWrite.writeString(path, GSON.toJson(now) + "\n");
        }
    }

    /**
     * Whether option {@code key}'s recorded value and this command's are the same setting: JMH's times (-w, -r) by their
     * duration, as JMH measures with them ("1 s" and "1000 ms" are one), every other as {@link #same(Object, Object)}.
     */
    public static boolean same(String key, Object recorded, Object now) {
        if (TIMES.contains(key) && recorded instanceof String a && now instanceof String b) {
            Long x = nanos(a);
            if (x != null && x.equals(nanos(b))) {
                return true;
            }
        }
        return same(recorded, now);
    }

    /** The options whose value is a JMH time. */
    private static final Set<String> TIMES = Set.of("-w", "-r");

    /** A JMH time ("1 s", "500ms") in nanoseconds; null for text JMH does not read as one. */
    private static Long nanos(String time) {
        try {
            return TimeValue.fromString(time).convertTo(TimeUnit.NANOSECONDS);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether a recorded value and this command's are the same setting. A value is a string or, where its words reach
     * the forks one by one (-jvmArgs*), a list of them. A record that holds such a list joined with spaces in one string
     * is read as matching every list whose words joined so are that string: it cannot tell ["a b"] from ["a", "b"], and
     * refusing it would refuse the directory's own settings.
     */
    private static boolean same(Object recorded, Object now) {
        if (recorded instanceof String s && now instanceof List<?> words) {
            return s.equals(words.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
        }
        return java.util.Objects.equals(recorded, now);
    }

    /** A value as a refusal shows it: a list as JSON, so that ["a b"] and ["a", "b"] read apart. */
    private static String shown(Object value) {
        return value == null ? "(none)" : value instanceof List<?> ? LINE.toJson(value) : String.valueOf(value);
    }

    /**
     * The settings {@code dir} records (each a string, or a list of strings as {@link #same} reads it); empty for a new
     * directory, or a record that cannot be read (as checkAndRecord says).
     */
    public Map<String, Object> recorded(Path dir) {
        try {
            Map<String, Object> m = read(dir.resolve(file));
            return m == null ? Map.of() : m;
        } catch (IOException | JsonParseException e) {
            return Map.of();
        }
    }

    private static Map<String, Object> read(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw IoMessage.naming(path, e);
        }
        Map<String, Object> m = GSON.fromJson(text, new TypeToken<Map<String, Object>>() {}.getType());
        // the record holds strings, and lists of them where words reach the forks one by one: a number, null or object
        // was not written by this class, and compared as a setting it would read as one ("-i 1.0" against "-i 1"), or as
        // a list of what is recorded where given that lists none of them
        if (m != null && !m.entrySet().stream().allMatch(e -> e.getValue() instanceof String
                || !e.getKey().equals(RECORDED_WHERE_GIVEN) && e.getValue() instanceof List<?> words
                        && words.stream().allMatch(String.class::isInstance))) {
            throw new JsonParseException("a setting that is no string");
        }
        return m;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        List<String> keys = new ArrayList<>(a == null ? List.of() : a.keySet());
        b.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }
}
