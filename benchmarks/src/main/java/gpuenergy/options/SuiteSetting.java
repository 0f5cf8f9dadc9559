package gpuenergy.options;

import gpuenergy.results.BadInputException;
import gpuenergy.results.IoMessage;
import gpuenergy.results.TrialRecords;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.util.Optional;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The suite's settings, given as {@code -Dgpuenergy.NAME=VALUE} to {@code java}, and DJL's {@link #TORCH_THREADS}: each
 * named here once, with the values it accepts and what it does. Every reader takes its name from here; the launcher
 * refuses an unknown {@code gpuenergy.*} property or a value outside what its setting accepts before anything runs
 * ({@link #refusal}), so a misspelt setting is never silently ignored, and passes the settings given to every VM it
 * starts ({@link #jvmArgs}).
 */
public enum SuiteSetting {
    ENERGY("gpuenergy.energy", "off", "off", "off"::equals, "do not add the energy profiler"),
    MODELS("gpuenergy.models", "DIR", "the directory that holds <name>/<name>-fp32.pt, not a file", SuiteSetting::isNoModelsFile,
            "models directory (else $GPUENERGY_MODELS, else ./models)"),
    ALLOW_UNCHECKED("gpuenergy.allowUnchecked", "true", "true or false", SuiteSetting::isBoolean,
            "benchmark artifacts without a passing numerics record"),
    INPUT_SHAPE("gpuenergy.inputShape", "C,H,W", "C,H,W with positive integers, e.g. 3,224,224", v -> shape(v) != null,
            "input shape for models without a record"),
    TENSORRT_LIB("gpuenergy.tensorrt.lib", "DIR", "a directory", v -> true, "TensorRT's libraries (docs/tensorrt.md)"),
    TENSORRT_CACHE("gpuenergy.tensorrt.cache", "DIR", "a directory", v -> true, "TensorRT's engine cache"),
    TENSORRT_OPTIMIZATION_LEVEL("gpuenergy.tensorrt.optimizationLevel", "0..5", "0..5", v -> v.strip().matches("[0-5]"),
            "TensorRT's builder optimization level; 3 is TensorRT's default"),
    TENSORRT_VERBOSE("gpuenergy.tensorrt.verbose", "true", "true or false", SuiteSetting::isBoolean, "print TensorRT's whole log"),
    MALLOC("gpuenergy.malloc", SuiteSetting.GLIBC_OWN, SuiteSetting.GLIBC_OWN, SuiteSetting.GLIBC_OWN::equals,
            "leave glibc malloc's own moving thresholds, which the suite otherwise fixes in its forks"),
    /** DJL's own property, not the suite's: DJL passes over a value it cannot read (abc) without a word. */
    TORCH_THREADS("ai.djl.pytorch.num_threads", "N", "a whole number >= 1", v -> v.matches("[0-9]{1,9}") && Integer.parseInt(v) >= 1,
            "libtorch's intra-op threads"),
    /** Internal: the launcher names its records file to the forks it starts ({@link TrialRecords}). */
    RECORDS(TrialRecords.PROPERTY, "FILE", "a file", v -> true, null);

    private static final String PREFIX = "gpuenergy.";
    /** {@link #MALLOC}'s one value: leave glibc malloc's own thresholds. */
    public static final String GLIBC_OWN = "default";

    private final String property;
    private final String form;
    private final String accepted;
    private final Predicate<String> accepts;
    private final String description;

    SuiteSetting(String property, String form, String accepted, Predicate<String> accepts, String description) {
        this.property = property;
        this.form = form;
        this.accepted = accepted;
        this.accepts = accepts;
        this.description = description;
    }

    /** The system property's name, e.g. gpuenergy.models. */
    public String property() {
        return property;
    }

    /** This VM's value of it; null when it is not given. */
    public String value() {
        return System.getProperty(property);
    }

    /** Whether the setting takes this value. */
    public boolean accepts(String value) {
        return accepts.test(value);
    }

    /** "-Dgpuenergy.NAME=VALUE is not accepted; accepted: ... (what it does)": a value outside what it accepts. */
    public String notAccepted(String value) {
        return "-D" + property + "=" + value + " is not accepted; accepted: " + accepted
                + (description == null ? "" : " (" + description + ")");
    }

    /** The settings users give, in -h's order: not the internal ones. */
    public static List<SuiteSetting> documented() {
        return Arrays.stream(values()).filter(s -> s.description != null).toList();
    }

    /** How -h shows it, e.g. -Dgpuenergy.models=DIR. */
    public String example() {
        return "-D" + property + "=" + form;
    }

    /** What it does, in -h's words. */
    public String description() {
        return description;
    }

    /**
     * Why these properties cannot run the suite, in one line: the first {@code gpuenergy.*} property that names no
     * setting, or whose value the setting does not accept; null when every one is a setting with an accepted value.
     */
    public static String refusal(Properties properties) {
        for (String name : properties.stringPropertyNames().stream().filter(SuiteSetting::isChecked).sorted().toList()) {
            SuiteSetting s = Arrays.stream(values()).filter(v -> v.property.equals(name)).findFirst().orElse(null);
            if (s == null) {
                return "-D" + name + ": no such setting; the suite's settings are " + documented().stream()
                        .map(SuiteSetting::property).filter(p -> p.startsWith(PREFIX)).collect(Collectors.joining(", "));
            }
            String value = properties.getProperty(name);
            if (!s.accepts(value)) {
                return s.notAccepted(value);
            }
        }
        return null;
    }

    /**
     * Why VMs started with {@code jmh}'s options cannot run the suite, in one line: a -jvm that is no executable file
     * ({@link #jvmRefusal}); else a word of -jvmArgsPrepend, -jvmArgs or -jvmArgsAppend that java would take for the
     * class to run ({@link #strayArgument}); else an {@code @FILE} argument of those options whose file cannot be read
     * (the forked java stops there); else {@link #refusal} of this VM's properties, which the forks are
     * given, with the -D arguments of those options after them, each argument as the forked VM reads it, the words of an
     * {@code @FILE} in its place; null when every one is a setting with an accepted value. JMH is given the options'
     * words as they are.
     */
    public static String refusal(Options jmh) {
        String jvm = jvmRefusal(jmh);
        return jvm != null ? jvm : settingsRefusal(jmh);
    }

    /**
     * {@link #refusal(Options)} but for the -jvm, which only a VM started here needs: what a directory of runs made
     * elsewhere, summarized here, is checked on.
     */
    public static String settingsRefusal(Options jmh) {
        String stray = strayArgument(jmh);
        if (stray != null) {
            return stray;
        }
        try {
            // this VM's own thread count too: a run without forks (-f 0) runs libtorch here
            return refusal(settings(jmh, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    System.getProperty(TORCH_THREADS.property)));
        } catch (BadInputException e) {
            return e.getMessage();
        }
    }

    /** Whether the property {@code name} is read here: a {@code gpuenergy.*} one, or a setting of another name. */
    private static boolean isChecked(String name) {
        return name.startsWith(PREFIX) || Arrays.stream(values()).anyMatch(s -> s.property.equals(name));
    }

    /** The options that give the forked VM's arguments, each with the words JMH gives it, in the order JMH gives them. */
    private static List<Map.Entry<String, Optional<Collection<String>>>> vmArguments(Options jmh) {
        return List.of(Map.entry("-jvmArgsPrepend", jmh.getJvmArgsPrepend()), Map.entry("-jvmArgs", jmh.getJvmArgs()),
                Map.entry("-jvmArgsAppend", jmh.getJvmArgsAppend()));
    }

    /**
     * java's options that take the next argument as their value (its launcher's in JDK 17: the class path, the module
     * options, --source); the others are one argument each, and the first argument that is no option is the class to
     * run.
     */
    private static final Set<String> TAKE_THE_NEXT = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--enable-native-access", "--limit-modules", "--add-reads", "--add-exports",
            "--add-opens", "--patch-module", "--source");

    /**
     * Why a word that -jvmArgsPrepend, -jvmArgs or -jvmArgsAppend gives the forked VMs would stop every one of them, in
     * one line: one that is neither an option (nor an {@code @FILE}) nor the value of an option that takes the next
     * argument, which java takes for the class to run. JMH splits the value of such an option given once at its spaces:
     * a path with a space ({@code -jvmArgsAppend "-Dgpuenergy.models=/data/my models"}) ends so, each fork failing with
     * "Could not find or load main class models". Null when there is none.
     */
    static String strayArgument(Options jmh) {
        for (Map.Entry<String, Optional<Collection<String>>> option : vmArguments(jmh)) {
            String before = null;
            for (String word : option.getValue().orElse(List.of())) {
                boolean value = before != null && TAKE_THE_NEXT.contains(before);
                if (!value && !word.startsWith("-") && !word.startsWith("@")) {
                    return option.getKey() + ": the forked VM would get '" + word + "' as an argument of its own"
                            + (before == null ? "" : ", after '" + before + "',") + " and take it for the class to run; JMH"
                            + " splits the value of an option given once at its spaces: put an argument that holds a space in"
                            + " double quotes within the value (" + option.getKey() + " '-Dname=\"a b\"'), or give each argument"
                            + " with an " + option.getKey() + " of its own";
                }
                before = value ? null : word;
            }
        }
        return null;
    }

    /**
     * The settings of VMs started with {@code jmh}'s options, as they read them: what the suite gives every VM it starts
     * ({@link #jvmArgs()}: this VM's {@code gpuenergy.*} properties, {@link #TORCH_THREADS} as this VM was launched with
     * it) and the -D arguments of -jvmArgsPrepend, -jvmArgs and -jvmArgsAppend, the words of an {@code @FILE} in its
     * place, a later one replacing an earlier as in java. JMH starts a fork with -jvmArgsPrepend's words, then -jvmArgs'
     * or, without them, this VM's own launch arguments, then -jvmArgsAppend's; the suite puts its settings first where
     * the launch arguments do not hold them. So a setting given to java outranks -jvmArgsPrepend's unless -jvmArgs is
     * given.
     *
     * @throws BadInputException naming the option and the {@code @FILE} that cannot be read (the forked java stops there)
     */
    public static Properties forkSettings(Options jmh) throws BadInputException {
        List<String> launch = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return settings(jmh, launch, launchedThreads(launch));
    }

    /**
     * {@link #forkSettings} of a VM launched with {@code launch}, with {@code threads} (null: none) for the thread count
     * the suite gives the VMs it starts.
     */
    static Properties settings(Options jmh, List<String> launch, String threads) throws BadInputException {
        Map<String, String> suite = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> isChecked(k) && !k.equals(TORCH_THREADS.property))
                .sorted().forEach(k -> suite.put(k, System.getProperty(k)));
        if (threads != null) {
            suite.put(TORCH_THREADS.property, threads);
        }
        boolean launchArgumentsInherited = !jmh.getJvmArgs().hasValue();
        Predicate<Map.Entry<String, String>> inherited = e -> launchArgumentsInherited
                && launch.contains("-D" + e.getKey() + "=" + e.getValue());
        Properties settings = new Properties();
        suite.entrySet().stream().filter(inherited.negate()).forEach(e -> settings.setProperty(e.getKey(), e.getValue()));
        read("-jvmArgsPrepend", jmh.getJvmArgsPrepend(), settings);
        suite.entrySet().stream().filter(inherited).forEach(e -> settings.setProperty(e.getKey(), e.getValue()));
        read("-jvmArgs", jmh.getJvmArgs(), settings);
        read("-jvmArgsAppend", jmh.getJvmArgsAppend(), settings);
        return settings;
    }

    /** The checked -D settings of {@code option}'s words, the words of an {@code @FILE} in its place, into {@code settings}. */
    private static void read(String option, Optional<Collection<String>> words, Properties settings) throws BadInputException {
        for (String word : words.orElse(List.of())) {
            List<String> args;
            try {
                args = ArgumentFile.arguments(word);
            } catch (IOException e) {
                throw new BadInputException(option + " " + word + ": cannot read the argument file (" + IoMessage.reason(e) + ")");
            }
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (arg.startsWith("-D") && isChecked(arg.substring(2, eq < 0 ? arg.length() : eq))) {
                    settings.setProperty(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
                }
            }
        }
    }

    /**
     * "-jvm PATH: not an executable file" where -jvm names no file this user may run: the path, or a name without '/'
     * on PATH, as the forks' VM is started. JMH runs it before the first benchmark, -f 0 too (to read the forks'
     * properties), and stops there with a stack trace. Null when -jvm is not given or names such a file.
     */
    static String jvmRefusal(Options jmh) {
        String jvm = jmh.getJvm().orElse(null);
        if (jvm == null) {
            return null;
        }
        boolean onPath = !jvm.contains(File.separator);
        List<String> dirs = onPath ? List.of(String.valueOf(System.getenv("PATH")).split(File.pathSeparator, -1)) : List.of("");
        for (String dir : dirs) {
            try {
                Path file = Path.of(dir, jvm);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return null;
                }
            } catch (InvalidPathException e) {
                // no file has that name: refused below
            }
        }
        return "-jvm " + jvm + ": not an executable file" + (onPath ? " on PATH" : "");
    }

    /** One line for a subcommand's help: the settings by name (the launcher's -h describes each). */
    public static String helpLine() {
        return "  Settings (java -DNAME=VALUE -jar ..., described by -h): "
                + documented().stream().map(SuiteSetting::property).collect(Collectors.joining(", "));
    }

    /**
     * This VM's {@code gpuenergy.*} settings as -Dname=value, by name, less the internal ones, then {@link #TORCH_THREADS}
     * as this VM was started with it: what every VM the suite starts is given. The thread count is taken from the VM's
     * launch arguments, not its property: the suite's libtorch loader sets the property (cores - 1) in a VM that loads
     * it without one, and a VM given that count would not choose its own.
     */
    public static List<String> jvmArgs() {
        return jvmArgs(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /**
     * {@link #jvmArgs()} of a VM started with {@code launch} (java's options, JDK_JAVA_OPTIONS' and JAVA_TOOL_OPTIONS'
     * with them): the thread count is the last one given there, as java reads it.
     */
    static List<String> jvmArgs(List<String> launch) {
        List<String> args = new ArrayList<>(documented().stream().map(SuiteSetting::property).filter(k -> k.startsWith(PREFIX))
                .sorted().filter(k -> System.getProperty(k) != null).map(k -> "-D" + k + "=" + System.getProperty(k)).toList());
        String threads = launchedThreads(launch);
        if (threads != null) {
            args.add("-D" + TORCH_THREADS.property + "=" + threads);
        }
        return args;
    }

    /** {@link #TORCH_THREADS} as a VM started with {@code launch} reads it: the last one given there; null when none is. */
    public static String launchedThreads(List<String> launch) {
        String given = "-D" + TORCH_THREADS.property + "=";
        return launch.stream().filter(a -> a.startsWith(given)).reduce((first, last) -> last)
                .map(a -> a.substring(given.length())).orElse(null);
    }

    /** "C,H,W" as {C, H, W}, each a positive integer; null when it is not that. */
    public static long[] shape(String value) {
        String[] parts = value.split(",");
        if (parts.length != 3) {
            return null;
        }
        try {
            long[] shape = {Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip()), Long.parseLong(parts[2].strip())};
            return shape[0] > 0 && shape[1] > 0 && shape[2] > 0 ? shape : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether {@code dir}, given as the models directory, is there and no directory (a file): every model name would be
     * reported missing under it, which hides the mistake. A directory, or nothing there yet, is not (the embedded model
     * and model files need none). {@code dir} is taken as the models directory is read, absolute and normalized: afile/.
     * is afile.
     */
    public static boolean namesAFile(Path dir) {
        Path models = dir.toAbsolutePath().normalize();
        return Files.exists(models) && !Files.isDirectory(models);
    }

    /**
     * A models directory that is no file ({@link #namesAFile}), given to this VM or to the forks with -jvmArgs: a file
     * would have every model name reported missing under it, which hides the mistake.
     */
    private static boolean isNoModelsFile(String value) {
        try {
            return !namesAFile(Path.of(value));
        } catch (InvalidPathException e) {
            return true; // a name no file has: reported as a missing model, naming it
        }
    }

    /** What Boolean.getBoolean reads as true, and its opposite: anything else would be read as false unseen. */
    private static boolean isBoolean(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }
}
