package gpuenergy.options;

import gpuenergy.DocExamples;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteSettingTest {
    /** A gpuenergy.* name that is no class's: each dot-separated part starts in lower case (a class's in upper case). */
    private static final Pattern NAME = Pattern.compile("gpuenergy(?:\\.[a-z][A-Za-z]*)+(?![A-Za-z.]*[A-Z])");

    /**
     * Every gpuenergy.* property the product's sources, the README and the docs name is a setting: a reader or a page
     * cannot name one the launcher would refuse. Package names are the only other such names.
     */
    @Test
    void everyPropertyTheSourcesAndDocsNameIsASetting() throws IOException {
        Path root = DocExamples.ROOT;
        Set<String> packages = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (Path sources : new Path[] {root.resolve("benchmarks/src/main/java"), root.resolve("profilers/src/main/java")}) {
            try (Stream<Path> files = Files.walk(sources)) {
                files.forEach(f -> {
                    if (Files.isDirectory(f)) {
                        packages.add(sources.relativize(f).toString().replace('/', '.'));
                    } else {
                        named.addAll(names(f));
                    }
                });
            }
        }
        named.addAll(names(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.forEach(d -> named.addAll(names(d)));
        }
        Set<String> settings = Arrays.stream(SuiteSetting.values()).map(SuiteSetting::property)
                .filter(p -> p.startsWith("gpuenergy.")).collect(Collectors.toSet());
        assertTrue(named.containsAll(settings), "the scan sees the settings' own declarations: " + named);
        named.removeAll(packages);
        named.removeAll(settings);
        assertEquals(Set.of(), named, "named in the sources or docs but no setting of " + SuiteSetting.class.getName());
    }

    private static Set<String> names(Path file) {
        Set<String> found = new TreeSet<>();
        try {
            Matcher m = NAME.matcher(Files.readString(file));
            while (m.find()) {
                found.add(m.group());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Test
    void eachSettingTakesItsDocumentedValuesAndNothingElse() {
        assertNull(SuiteSetting.refusal(properties("gpuenergy.energy", "off", "gpuenergy.allowUnchecked", "True",
                "gpuenergy.inputShape", "1,28,28", "gpuenergy.tensorrt.optimizationLevel", " 5", "gpuenergy.records", "/tmp/r",
                "other.property", "anything")));
        assertEquals("-Dgpuenergy.energy=on is not accepted; accepted: off (do not add the energy profiler)",
                SuiteSetting.refusal(properties("gpuenergy.energy", "on")));
        assertEquals("-Dgpuenergy.inputShape=0,224,224 is not accepted; accepted: C,H,W with positive integers, e.g. 3,224,224 "
                + "(input shape for models without a record)", SuiteSetting.refusal(properties("gpuenergy.inputShape", "0,224,224")));
        assertEquals(3, SuiteSetting.shape(" 3 ,224,224").length);
        assertNull(SuiteSetting.shape("3,224,x"));
    }

    /**
     * A models directory that names a file is refused however it is spelt: afile/. is the file afile for the models
     * directory that model names are looked up under, though the file system finds nothing at afile/.
     */
    @Test
    void aModelsDirectoryThatNamesAFileIsRefusedInEverySpelling(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
        for (String value : new String[] {file.toString(), file + "/.", file + "/", tmp + "/./afile", tmp + "/sub/../afile"}) {
            assertEquals("-Dgpuenergy.models=" + value + " is not accepted; accepted: the directory that holds "
                    + "<name>/<name>-fp32.pt, not a file (models directory (else $GPUENERGY_MODELS, else ./models))",
                    SuiteSetting.refusal(properties("gpuenergy.models", value)), value);
        }
        assertNull(SuiteSetting.refusal(properties("gpuenergy.models", tmp.toString())));
        assertNull(SuiteSetting.refusal(properties("gpuenergy.models", tmp.resolve("not-yet").toString())));
    }

    /**
     * A fork's setting as it reads it: JMH puts -jvmArgsPrepend's words before this VM's own launch arguments, which it
     * gives the fork unless -jvmArgs replaces them, and -jvmArgsAppend's after both; so the count given to java outranks
     * the prepend's, and the prepend's outranks it where -jvmArgs is given.
     */
    @Test
    void aSettingGivenToJavaOutranksThePrependUnlessJvmArgsReplaceTheLaunchArguments() throws Exception {
        String property = SuiteSetting.TORCH_THREADS.property();
        List<String> launch = List.of("-Xmx1g", "-D" + property + "=2");
        String prepend = "--jvmArgsPrepend=-D" + property + "=3";
        assertEquals("2", SuiteSetting.settings(new CommandLineOptions(prepend), launch, "2").getProperty(property));
        assertEquals("3", SuiteSetting.settings(new CommandLineOptions(prepend, "--jvmArgs=-Xmx2g"), launch, "2")
                .getProperty(property));
        assertEquals("4", SuiteSetting.settings(new CommandLineOptions(prepend, "--jvmArgsAppend=-D" + property + "=4"),
                launch, "2").getProperty(property));
        assertEquals("3", SuiteSetting.settings(new CommandLineOptions(prepend), List.of("-Xmx1g"), null).getProperty(property));
    }

    private static Properties properties(String... nameValue) {
        Properties p = new Properties();
        for (int i = 0; i < nameValue.length; i += 2) {
            p.setProperty(nameValue[i], nameValue[i + 1]);
        }
        return p;
    }

    /**
     * The thread count every started VM gets is the one this VM was launched with, the last where given twice, whatever
     * its property holds since (the suite's libtorch loader sets it in a VM that loads it without one); none where it
     * was not given.
     */
    @Test
    void theThreadCountStartedVmsGetIsTheOneGivenAtLaunch() {
        String property = SuiteSetting.TORCH_THREADS.property();
        String before = System.getProperty(property);
        System.setProperty(property, "7");
        try {
            assertEquals(List.of("-D" + property + "=2"), SuiteSetting.jvmArgs(List.of("-Xmx1g", "-D" + property + "=3",
                    "-Dother=1", "-D" + property + "=2")).stream().filter(a -> a.startsWith("-D" + property)).toList());
            assertEquals(List.of(), SuiteSetting.jvmArgs(List.of("-Xmx1g")).stream().filter(a -> a.startsWith("-D" + property))
                    .toList());
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
