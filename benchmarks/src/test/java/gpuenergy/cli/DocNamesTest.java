package gpuenergy.cli;

import gpuenergy.DocExamples;
import gpuenergy.engine.Engines;
import gpuenergy.options.SuiteSetting;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.NvmlEnergyProfiler;
import gpuenergy.profile.SchedulingLabels;
import gpuenergy.profile.SchedulingProfiler;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.openjdk.jmh.profile.ProfilerException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metric labels and their units, environment keys, profiler options, not-run kinds and engines the user
 * documentation names are those the code defines (their owners: EnergyLabels, SchedulingLabels, EnvironmentKeys, the
 * profilers' option parsers as their {@code help} lists them, NotRun.Kind, Engines), so that a name renamed or added in
 * one place and not the other fails here.
 */
class DocNamesTest {
    /** A label or key of the energy and scheduling profilers, as a document writes it: energy.J/img, sched.steal-%. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w./-])(?:energy|sched)\\.[A-Za-z0-9/%_-]*[A-Za-z0-9%]");

    private static Set<String> constants(Class<?> owner) throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field f : owner.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                values.add((String) f.get(null));
            }
        }
        return values;
    }

    @Test
    void theDocumentedProfilerNamesAreTheCodes() throws IllegalAccessException {
        Set<String> documented = new TreeSet<>();
        for (String text : DocExamples.texts()) {
            Matcher m = NAME.matcher(text);
            while (m.find()) {
                documented.add(m.group());
            }
        }
        Set<String> defined = new TreeSet<>(constants(EnergyLabels.class));
        defined.addAll(constants(SchedulingLabels.class));
        constants(EnvironmentKeys.class).stream().filter(k -> k.startsWith("energy.")).forEach(defined::add);
        assertEquals(defined, documented, "labels and energy.* environment keys: the code's, and the documents'");
    }

    /** A label and its unit as a document gives them: {@code `energy.avg-W` [W]}. */
    private static final Pattern UNIT = Pattern.compile("`(" + NAME.pattern() + ")` \\[([^\\]\\s]+)]");

    /**
     * Every label of either profiler has its unit given in some document, and every unit a document gives a label is the
     * one the profiler reports it in (EnergyLabels.unit, SchedulingLabels.unit).
     */
    @Test
    void theDocumentedUnitsAreTheCodes() throws IllegalAccessException {
        Map<String, String> units = new TreeMap<>();
        constants(EnergyLabels.class).forEach(l -> units.put(l, EnergyLabels.unit(l)));
        constants(SchedulingLabels.class).forEach(l -> units.put(l, SchedulingLabels.unit(l)));
        List<String> wrong = new ArrayList<>();
        Set<String> given = new TreeSet<>();
        eachMatch(UNIT, (doc, m) -> {
            given.add(m.group(1));
            if (!m.group(2).equals(units.get(m.group(1)))) {
                wrong.add(doc + ": " + m.group() + ", the code's unit: " + units.get(m.group(1)));
            }
        });
        units.forEach((label, unit) -> {
            if (!given.contains(label)) {
                wrong.add(label + " [" + unit + "]: no document gives its unit");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * A profiler spec as a document writes it: {@code energy:idle=0;hz=500}, {@code sched:probe=true}, the energy
     * profiler's synopsis {@code gpuenergy.profile.NvmlEnergyProfiler[:gpu=…;...]}.
     */
    private static final Pattern SPEC = Pattern.compile("(?<![\\w.-])(energy|sched|gpuenergy\\.profile\\.NvmlEnergyProfiler"
            + "|gpuenergy\\.profile\\.SchedulingProfiler)\\[?:([^\\s`'\"\\]]+)");
    /** A line of a profiler's help: {@code   hz=<int>   Sampling rate ... (default: 500)}. */
    private static final Pattern HELP_LINE = Pattern.compile("^  (\\w+)(?:=<([^>]*)>)?\\s+(.*?)(?: \\(default: ([^()]*)\\))?$");

    /**
     * One option as a profiler's help lists it; values: those an argument like {@code <ends|lean|quiet|continuous>}
     * names where they are the values themselves (its default among them; not {@code <index|uuid|pci>}), else none.
     */
    private record Option(String name, List<String> values, String defaultValue) {
    }

    /** A profiler's options, by name, as its {@code help} lists them. */
    private static Map<String, Option> helpOf(Executable construct) {
        Map<String, Option> options = new LinkedHashMap<>();
        for (String line : assertThrows(ProfilerException.class, construct).getMessage().split("\n")) {
            Matcher m = HELP_LINE.matcher(line);
            if (m.matches()) {
                String argument = m.group(2);
                List<String> values = argument == null ? List.of() : List.of(argument.split("\\|"));
                values = m.group(4) != null && values.contains(m.group(4)) ? values : List.of();
                options.put(m.group(1), new Option(m.group(1), values, m.group(4)));
            }
        }
        assertTrue(options.containsKey("help"), "no option parsed from the help");
        return options;
    }

    /** Each match of {@code pattern} in each document, with the document's name. */
    private static void eachMatch(Pattern pattern, BiConsumer<String, MatchResult> action) {
        List<String> texts = DocExamples.texts();
        for (int i = 0; i < texts.size(); i++) {
            Matcher m = pattern.matcher(texts.get(i));
            while (m.find()) {
                action.accept(DocExamples.DOCS.get(i), m.toMatchResult());
            }
        }
    }

    /** Each profiler's option entries (NAME or NAME=VALUE) the documents give in a spec of it, by where they are. */
    private static Map<String, List<String>> documentedSpecs(String profiler) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        eachMatch(SPEC, (doc, m) -> {
            String name = m.group(1).equals("sched") || m.group(1).endsWith("SchedulingProfiler") ? "sched" : "energy";
            if (name.equals(profiler)) {
                entries.computeIfAbsent(doc, d -> new ArrayList<>()).addAll(List.of(m.group(2).split(";")));
            }
        });
        return entries;
    }

    /**
     * Every option a document gives the energy or scheduling profiler is one it accepts, with a value it accepts where
     * its help names them ({@code sampling=<ends|lean|quiet|continuous>}, {@code probe=<true|false>}), also where a
     * document writes it alone ({@code `sampling=lean`}); every option it accepts is named in a spec of it; and the
     * synopsis that opens docs/energy-method.md names every option of the energy profiler with its default.
     */
    @Test
    void theDocumentedProfilerOptionsAreTheCodes() {
        Map<String, Map<String, Option>> accepted = Map.of("energy", helpOf(() -> new NvmlEnergyProfiler("help")),
                "sched", helpOf(() -> new SchedulingProfiler("help")));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Map<String, Option>> profiler : accepted.entrySet()) {
            Set<String> named = new TreeSet<>();
            documentedSpecs(profiler.getKey()).forEach((doc, entries) -> {
                for (String entry : entries) {
                    String name = entry.split("=", 2)[0];
                    if (name.equals("opts")) {
                        continue; // the documents' placeholder for the options: energy[:opts]
                    }
                    named.add(name);
                    Option o = profiler.getValue().get(name);
                    if (o == null) {
                        wrong.add(doc + ": " + profiler.getKey() + ":" + entry + " (no such option)");
                    } else if (entry.contains("=") && !o.values().isEmpty()
                            && !o.values().containsAll(List.of(entry.split("=", 2)[1].split("\\|")))) {
                        wrong.add(doc + ": " + profiler.getKey() + ":" + entry + " (accepted: " + o.values() + ")");
                    }
                }
            });
            Set<String> undocumented = new TreeSet<>(profiler.getValue().keySet());
            undocumented.removeAll(named);
            undocumented.remove("help");
            undocumented.forEach(o -> wrong.add(profiler.getKey() + ":" + o + " is in no document's spec"));
        }
        Map<String, Option> everyOption = new LinkedHashMap<>(accepted.get("energy"));
        everyOption.putAll(accepted.get("sched"));
        Matcher alone = Pattern.compile("`(\\w+)=([^`;\\s]+)`").matcher(String.join("\n", DocExamples.texts()));
        while (alone.find()) {
            Option o = everyOption.get(alone.group(1));
            if (o != null && !o.values().isEmpty() && !o.values().containsAll(List.of(alone.group(2).split("\\|")))) {
                wrong.add(alone.group() + " (accepted: " + o.values() + ")");
            }
        }
        Matcher synopsis = SPEC.matcher(DocExamples.texts().get(DocExamples.DOCS.indexOf("docs/energy-method.md")));
        assertTrue(synopsis.find() && synopsis.group(1).endsWith("NvmlEnergyProfiler"), "docs/energy-method.md opens with no synopsis");
        Map<String, String> given = new LinkedHashMap<>();
        for (String entry : synopsis.group(2).split(";")) {
            given.put(entry.split("=", 2)[0], entry.contains("=") ? entry.split("=", 2)[1] : null);
        }
        for (Option o : accepted.get("energy").values()) {
            if (!o.name().equals("help") && !given.containsKey(o.name())) {
                wrong.add("docs/energy-method.md's synopsis lacks " + o.name());
            } else if (o.defaultValue() != null && !o.defaultValue().equals(given.get(o.name()))) {
                wrong.add("docs/energy-method.md's synopsis gives " + o.name() + "=" + given.get(o.name()) + ", its default is "
                        + o.defaultValue());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** A suite setting as a document writes it: {@code -Dgpuenergy.models=DIR}, {@code -Dgpuenergy.tensorrt.lib}. */
    private static final Pattern SETTING = Pattern.compile("-D(gpuenergy\\.[A-Za-z.]*[A-Za-z])(?:=([^\\s`;)\"']+))?");

    /**
     * Every {@code -Dgpuenergy.*} setting a user may give (SuiteSetting.documented, as {@code -h} lists them) is named in
     * some document, and every one a document names is a setting, with a value it accepts or the form {@code -h} gives
     * ({@code -Dgpuenergy.models=DIR}).
     */
    @Test
    void theDocumentedSettingsAreTheCodes() {
        Map<String, SuiteSetting> settings = new TreeMap<>();
        SuiteSetting.documented().stream().filter(s -> s.property().startsWith("gpuenergy."))
                .forEach(s -> settings.put(s.property(), s));
        List<String> wrong = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        eachMatch(SETTING, (doc, m) -> {
            SuiteSetting s = settings.get(m.group(1));
            named.add(m.group(1));
            String value = m.group(2) == null ? null : m.group(2).replaceAll("[.,:]+$", "");
            if (s == null) {
                wrong.add(doc + ": " + m.group() + " (no such setting)");
            } else if (value != null && !s.accepts(value) && !s.example().equals("-D" + m.group(1) + "=" + value)) {
                wrong.add(doc + ": " + m.group() + " (" + s.notAccepted(value) + ")");
            }
        });
        settings.keySet().stream().filter(p -> !named.contains(p)).forEach(p -> wrong.add("-D" + p + " is in no document"));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** README's Results section names every kind of not-run entry. */
    @Test
    void theReadmeNamesEveryNotRunKind() throws Exception {
        String results = Files.readString(DocExamples.ROOT.resolve("README.md")).split("## Results")[1].split("\n## ")[0];
        Set<String> missing = new TreeSet<>();
        Arrays.stream(NotRun.Kind.values()).map(NotRun.Kind::label).filter(k -> !results.contains("`" + k + "`"))
                .forEach(missing::add);
        assertTrue(missing.isEmpty(), "README's Results section lacks " + missing);
    }

    /** README's Engines table names every engine the benchmark accepts, and no other. */
    @Test
    void theReadmeNamesEveryEngine() {
        assertEquals(List.of(Engines.accepted().split(", ")), DocExamples.tableNames("README.md", "## Engines"));
    }
}
