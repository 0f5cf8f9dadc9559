package gpuenergy.run;

import gpuenergy.results.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSettingsTest {
    private static final String MODELS = "gpuenergy.models";
    private static final RunSettings RECORD = new RunSettings("settings.json", "--resume: ", "its runs would mix settings",
            "use another directory");

    /** whenGiven's settings less the list of what it records where given. */
    private static Map<String, String> given(CommandLineOptions jmh) throws BadInputException {
        Map<String, String> m = new LinkedHashMap<>(RunSettings.whenGiven(jmh));
        m.remove(RunSettings.RECORDED_WHERE_GIVEN);
        return m;
    }

    @Test
    void onlyWhatIsGivenIsRecorded() throws Exception {
        assertEquals(Map.of(), given(new CommandLineOptions()));
        assertEquals(Map.of("-opi", "4", "-bs", "2", "-si", "false", "-gc", "true"),
                given(new CommandLineOptions("-opi", "4", "-bs", "2", "-si", "false", "-gc", "true")));
        String shape = "gpuenergy.inputShape";
        String cache = "gpuenergy.tensorrt.cache";
        String malloc = "gpuenergy.malloc";
        System.setProperty(shape, "3,64,64");
        System.setProperty(cache, "/tmp/engines");
        System.setProperty(malloc, "default");
        try {
            // the input shape and the allocator's thresholds change what is measured; where TensorRT keeps its engines
            // does not
            assertEquals(Map.of("-Dgpuenergy.inputShape", "3,64,64", "-Dgpuenergy.malloc", "default"),
                    given(new CommandLineOptions()));
            // the record lists every setting it holds where given
            Map<String, String> all = RunSettings.whenGiven(new CommandLineOptions("-opi", "4", "-bs", "2", "-wbs", "3",
                    "-si", "false", "-gc", "true"));
            List<String> listed = List.of(all.get(RunSettings.RECORDED_WHERE_GIVEN).split(" "));
            all.keySet().stream().filter(k -> !k.equals(RunSettings.RECORDED_WHERE_GIVEN))
                    .forEach(k -> assertTrue(listed.contains(k), k + " not in " + listed));
        } finally {
            System.clearProperty(shape);
            System.clearProperty(cache);
            System.clearProperty(malloc);
        }
    }

    /**
     * The settings the forks get with -jvmArgs* count as this VM's do, a later one replacing an earlier, and those of an
     * @argfile by its words: a directory measured with one content of the file is not continued with another.
     */
    @Test
    void theForksSettingsAreRecordedArgumentFilesByTheirWords(@TempDir Path tmp) throws Exception {
        Path args = Files.writeString(tmp.resolve("args"), "-Xmx1g -Dgpuenergy.malloc=default # glibc's own\n");
        assertEquals(Map.of("-Dgpuenergy.malloc", "default", "-Dgpuenergy.inputShape", "3,32,32"),
                given(new CommandLineOptions("-jvmArgsPrepend", "-Dgpuenergy.inputShape=3,64,64",
                        "-jvmArgsAppend", "@" + args + " -Dgpuenergy.inputShape=3,32,32")));
        Path dir = Files.createDirectories(tmp.resolve("d"));
        CommandLineOptions withFile = new CommandLineOptions("-jvmArgsAppend", "@" + args);
        RECORD.checkAndRecord(dir, dir, RunSettings.whenGiven(withFile));
        RECORD.checkAndRecord(dir, dir, RunSettings.whenGiven(withFile)); // the same words continue
        Files.writeString(args, "-Xmx1g\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> RECORD.checkAndRecord(dir, dir, RunSettings.whenGiven(withFile)));
        assertTrue(e.getMessage().contains("-Dgpuenergy.malloc default"), e.getMessage());
    }

    /**
     * A record from before whenGiven's settings were recorded holds none of them, given or not (most directories were
     * given a models directory): it continues with a command that gives them, and is still compared on the rest. A
     * record made since holds them where given, so a command that gives one it was not measured with is refused.
     */
    @Test
    void aRecordFromBeforeTheGivenSettingsIsNotComparedOnThem(@TempDir Path tmp) throws Exception {
        Path before = Files.createDirectories(tmp.resolve("before"));
        Files.writeString(before.resolve(RECORD.file()), "{\n  \"-i\": \"5\"\n}\n");
        System.setProperty(MODELS, "/shared/models");
        Map<String, String> withModels = new LinkedHashMap<>(Map.of("-i", "5"));
        try {
            withModels.putAll(RunSettings.whenGiven(new CommandLineOptions("-opi", "2")));
        } finally {
            System.clearProperty(MODELS);
        }
        RECORD.checkAndRecord(before, before, withModels);
        Map<String, String> moreIterations = new LinkedHashMap<>(withModels);
        moreIterations.put("-i", "6");
        BadInputException i = assertThrows(BadInputException.class,
                () -> RECORD.checkAndRecord(before, before, moreIterations));
        assertTrue(i.getMessage().startsWith("--resume: " + before + " was measured with -i 5; this command gives -i 6:"),
                i.getMessage());

        Path since = Files.createDirectories(tmp.resolve("since"));
        Map<String, String> none = new LinkedHashMap<>(Map.of("-i", "5"));
        none.putAll(RunSettings.whenGiven(new CommandLineOptions()));
        RECORD.checkAndRecord(since, since, none);
        BadInputException refused = assertThrows(BadInputException.class,
                () -> RECORD.checkAndRecord(since, since, withModels));
        assertEquals("--resume: " + since + " was measured with -opi (none), -Dgpuenergy.models (none); this command gives "
                + "-opi 2, -Dgpuenergy.models /shared/models: its runs would mix settings; give the same options, or use "
                + "another directory", refused.getMessage());
        RECORD.checkAndRecord(since, since, none);
    }

    /**
     * JMH's times are settings by their duration: -w 1s recorded continues with -w 1000ms (the same warm-up), as the
     * commands write them from JMH's TimeValue ("1 s", "1000 ms"); another duration is refused.
     */
    @Test
    void aTimeIsTheSameSettingInAnyUnit(@TempDir Path dir) throws Exception {
        RECORD.checkAndRecord(dir, dir, Map.of("-w", "1 s", "-r", "2 s"));
        RECORD.checkAndRecord(dir, dir, Map.of("-w", "1000 ms", "-r", "2000000 us"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> RECORD.checkAndRecord(dir, dir, Map.of("-w", "1001 ms", "-r", "2 s")));
        assertEquals("--resume: " + dir + " was measured with -w 1 s; this command gives -w 1001 ms: its runs would mix "
                + "settings; give the same options, or use another directory", e.getMessage());
        assertTrue(RunSettings.same("-w", "1 min", "60 s"));
        assertTrue(!RunSettings.same("-i", "1 s", "1000 ms"), "only JMH's times are read as durations");
    }

    /** A file that records no setting is no settings file, as one that is not JSON: not a directory measured "with (none)". */
    @Test
    void aRecordOfNoSettingIsNotTheSettingsFile(@TempDir Path dir) throws Exception {
        for (String text : new String[] {"", "[]", "{}", "not json"}) {
            Files.writeString(dir.resolve(RECORD.file()), text);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> RECORD.checkAndRecord(dir, dir, Map.of("-i", "5")), text);
            assertEquals("--resume: " + dir.resolve(RECORD.file()) + " is not the settings file this command writes; restore "
                    + "it, or use another directory", e.getMessage(), text);
        }
    }

    /**
     * A record whose setting is no string (nor a list of strings) was not written by a command: it is refused as such,
     * not compared as a setting ("-i 5.0" against "-i 5"), nor read as listing nothing recorded where given.
     */
    @Test
    void aRecordOfASettingThatIsNoStringIsNotTheSettingsFile(@TempDir Path dir) throws Exception {
        Map<String, String> now = new LinkedHashMap<>(Map.of("-i", "5"));
        now.putAll(RunSettings.whenGiven(new CommandLineOptions("-opi", "2")));
        String listed = "\"" + RunSettings.RECORDED_WHERE_GIVEN + "\": \"" + now.get(RunSettings.RECORDED_WHERE_GIVEN) + "\"";
        for (String text : new String[] {"{\"-i\": 5, " + listed + "}", "{\"-i\": null, " + listed + "}",
                "{\"-i\": {}, " + listed + "}", "{\"-i\": [5], " + listed + "}",
                "{\"-i\": \"5\", \"" + RunSettings.RECORDED_WHERE_GIVEN + "\": 1}",
                "{\"-i\": \"5\", \"" + RunSettings.RECORDED_WHERE_GIVEN + "\": []}"}) {
            Files.writeString(dir.resolve(RECORD.file()), text);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> RECORD.checkAndRecord(dir, dir, now), text);
            assertEquals("--resume: " + dir.resolve(RECORD.file()) + " is not the settings file this command writes; restore "
                    + "it, or use another directory", e.getMessage(), text);
        }
        Files.writeString(dir.resolve(RECORD.file()), "{\"-i\": \"5\", \"-jvmArgs\": [\"-Xmx1g\"], " + listed + "}");
        BadInputException lists = assertThrows(BadInputException.class, () -> RECORD.checkAndRecord(dir, dir, now));
        assertTrue(lists.getMessage().contains("-jvmArgs [\"-Xmx1g\"]"), lists.getMessage());
    }

    /** A settings file that is a directory is an I/O error naming it, not "Is a directory" alone. */
    @Test
    void aSettingsFileThatIsADirectoryIsNamed(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve(RECORD.file()));
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> RECORD.checkAndRecord(dir, dir, Map.of("-i", "5")));
        assertEquals(dir.resolve(RECORD.file()) + ": is a directory", gpuenergy.results.IoMessage.describe(e));
    }

    /** A settings file that is not UTF-8 text says so, naming it, not Java's decoder's "Input length = 1". */
    @Test
    void aSettingsFileThatIsNotUtf8IsNamed(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(RECORD.file()), new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> RECORD.checkAndRecord(dir, dir, Map.of("-i", "5")));
        assertEquals(dir.resolve(RECORD.file()) + ": not UTF-8 text", gpuenergy.results.IoMessage.describe(e));
    }
}
