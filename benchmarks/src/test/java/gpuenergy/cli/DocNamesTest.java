package gpuenergy.cli;

import gpuenergy.DocExamples;
import gpuenergy.engine.Engines;
import gpuenergy.profile.EnergyLabels;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.profile.SchedulingLabels;
import gpuenergy.results.NotRun;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metric labels, environment keys, not-run kinds and engines the user documentation names are those the code
 * defines (their owners: EnergyLabels, SchedulingLabels, EnvironmentKeys, NotRun.Kind, Engines), so that a name
 * renamed or added in one place and not the other fails here.
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
