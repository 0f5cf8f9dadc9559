package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.options.SuiteSetting;
import gpuenergy.results.AtomicWrite;
import gpuenergy.results.Lines;
import org.bytedeco.tensorrt.global.nvinfer;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Finds TensorRT 10's libraries and loads them with the JNI libraries of JavaCPP's TensorRT bindings, and nothing
 * else: the bindings' presets also name the cuBLAS, cuDNN and NVRTC bindings, whose CUDA 12 libraries a machine with
 * only a newer driver lacks, so JavaCPP's own loading (which would try them) is turned off and each library is loaded
 * by its path. TensorRT needs nothing else but the driver's libcuda.so.1, which it opens itself.
 *
 * <p>Where TensorRT is looked for, in this order:
 * <ol>
 *   <li>{@code -Dgpuenergy.tensorrt.lib=DIR} (for instance a system TensorRT, as NVIDIA's containers have it);</li>
 *   <li>the class path: the jar of {@code mvn -Ptensorrt package} names TensorRT's Maven redistributable
 *       ({@code org.bytedeco:tensorrt:linux-x86_64-redist}), whose libraries are extracted once to the user's cache;</li>
 *   <li>the directories of LD_LIBRARY_PATH, then {@link #SYSTEM_DIRS}.</li>
 * </ol>
 */
final class TensorRtLibraries {
    static final String NVINFER = "libnvinfer.so.10";
    static final String ONNX_PARSER = "libnvonnxparser.so.10";
    /** Where the redistributable jar keeps TensorRT's libraries, and the bindings' jars their JNI libraries. */
    static final String TENSORRT_RESOURCES = "org/bytedeco/tensorrt/linux-x86_64/";
    static final String JAVACPP_RESOURCES = "org/bytedeco/javacpp/linux-x86_64/";
    static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/local/tensorrt/lib"),
            Path.of("/usr/lib64"));
    static final String HOW_TO_GET = "build the jar with mvn -Ptensorrt package (TensorRT 10.6 from Maven Central, a 1.1 GB "
            + "download, once) or point -Dgpuenergy.tensorrt.lib at a directory with TensorRT 10's " + NVINFER + " and "
            + ONNX_PARSER + " (docs/tensorrt.md)";

    /** The TensorRT JavaCPP's bindings are made for (compile-time constants: reading them loads no library). */
    static final int BINDINGS_MAJOR = nvinfer.NV_TENSORRT_MAJOR;
    static final int BINDINGS_MINOR = nvinfer.NV_TENSORRT_MINOR;

    /** Where the libraries were found: the directory, and how it was found (for the result's environment). */
    record Location(Path dir, String how) {}

    private static TensorRtLibraries loaded;

    private final Location location;
    private final String version;

    TensorRtLibraries(Location location, String version) {
        this.location = location;
        this.version = version;
    }

    Location location() {
        return location;
    }

    /** TensorRT's full version as the loaded library reports it ({@link #version(int, int, int, int)}), e.g. 10.6.0.26. */
    String version() {
        return version;
    }

    /**
     * The version the engine cache's key, the result's tensorrt.version and the lines name: major, minor, patch and build
     * (10.6.0.26). TensorRT vouches for an engine only with the TensorRT that built it, and two builds of one
     * major.minor.patch are two libraries. The CUDA version a TensorRT was built for is not in it: the library reports
     * none, and NVIDIA's builds of one release for two CUDA majors carry the same build number; an engine of the other
     * build that TensorRT cannot load is built again, with TensorRT's reason in the line ({@link TensorRtSession}).
     */
    static String version(int major, int minor, int patch, int build) {
        return major + "." + minor + "." + patch + "." + build;
    }

    /** Finds and loads TensorRT once per VM; a failure is looked for again on the next call (it is cheap). */
    static synchronized TensorRtLibraries load(String engine) {
        if (loaded != null) {
            return loaded;
        }
        Location where = find(SuiteSetting.TENSORRT_LIB.value(), TensorRtLibraries::redistOnClassPath, System.getenv("LD_LIBRARY_PATH"),
                SYSTEM_DIRS);
        if (where == null) {
            throw NotRunException.unavailable("engine '" + engine + "': TensorRT 10 not found: " + NVINFER + " is in none of "
                    + String.join(", ", lookedIn(SuiteSetting.TENSORRT_LIB.value(), System.getenv("LD_LIBRARY_PATH"))) + "; " + HOW_TO_GET);
        }
        Path jni = extractJni();
        // JavaCPP would otherwise load every library its presets name (CUDA 12's cuBLAS, cuDNN, NVRTC) on first use
        System.setProperty("org.bytedeco.javacpp.loadLibraries", "false");
        // and refuse its small allocations once the process's resident size passes a multiple of -Xmx: TensorRT's
        // libraries alone map more than 1.6 GB, and the builder holds the model; memory is the OS's to limit here
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        loadLibrary(where.dir().resolve(NVINFER), engine, where);
        loadLibrary(where.dir().resolve(ONNX_PARSER), engine, where);
        for (String jniLibrary : List.of("libjnijavacpp.so", "libjninvinfer.so", "libjninvonnxparser.so")) {
            loadLibrary(jni.resolve(jniLibrary), engine, where);
        }
        // getInferLibVersion is in every TensorRT; the bindings' other calls, the version's parts among them, may not be
        NotRunException older = olderThanTheBindings(nvinfer.getInferLibVersion(), engine, where);
        if (older != null) {
            throw older;
        }
        loaded = new TensorRtLibraries(where, version(nvinfer.getInferLibMajorVersion(), nvinfer.getInferLibMinorVersion(),
                nvinfer.getInferLibPatchVersion(), nvinfer.getInferLibBuildVersion()));
        return loaded;
    }

    /**
     * The line refusing the TensorRT found at {@code where} whose getInferLibVersion() is {@code libVersion} (MAJOR * 10000 +
     * MINOR * 100 + PATCH), or null where the bindings can use it: TensorRT {@value BINDINGS_MAJOR}.{@value BINDINGS_MINOR},
     * which they are made for, or a later minor version, which keeps every call of those before it. An older 10.x lacks
     * calls they make: one missing from the library ends the VM at its first use ("symbol lookup error", no line recorded),
     * one missing from its objects' tables calls whatever lies past their end.
     */
    static NotRunException olderThanTheBindings(int libVersion, String engine, Location where) {
        int major = libVersion / 10000;
        int minor = libVersion / 100 % 100;
        if (major == BINDINGS_MAJOR && minor >= BINDINGS_MINOR) {
            return null;
        }
        String bindings = BINDINGS_MAJOR + "." + BINDINGS_MINOR;
        return NotRunException.unavailable("engine '" + engine + "': " + where.dir().resolve(NVINFER) + " (TensorRT from " + where.how()
                + ") is TensorRT " + major + "." + minor + "." + libVersion % 100 + ", older than the " + bindings + " the bindings are "
                + "made for, whose calls it may lack; point -D" + SuiteSetting.TENSORRT_LIB.property() + " at TensorRT " + bindings
                + " or a later " + BINDINGS_MAJOR + ".x, or build the jar with mvn -Ptensorrt package (TensorRT " + bindings + ")");
    }

    private static void loadLibrary(Path file, String engine, Location where) {
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            String m = e.getMessage() == null ? e.toString() : Lines.firstLine(e.getMessage());
            throw NotRunException.unavailable("engine '" + engine + "': cannot load " + file + " (TensorRT from " + where.how() + "): " + m
                    + "; " + HOW_TO_GET);
        }
    }

    /**
     * The first place that has TensorRT, in the documented order; null when none has it.
     *
     * @param property      -Dgpuenergy.tensorrt.lib, or null; a directory without TensorRT is an error, not skipped
     * @param redist        extracts the -Ptensorrt jar's libraries and returns their directory, or returns null
     * @param ldLibraryPath LD_LIBRARY_PATH, or null
     */
    static Location find(String property, RedistSource redist, String ldLibraryPath, List<Path> systemDirs) {
        if (property != null && !property.isBlank()) {
            Path dir = Path.of(property).toAbsolutePath();
            if (!hasTensorRt(dir)) {
                throw NotRunException.unavailable("-D" + SuiteSetting.TENSORRT_LIB.property() + "=" + property + " has no " + NVINFER + " and " + ONNX_PARSER
                        + whatIsWrong(dir) + "; point it at TensorRT 10's lib directory, or "
                        + "leave it unset to use the -Ptensorrt build's TensorRT");
            }
            return new Location(dir, "-D" + SuiteSetting.TENSORRT_LIB.property());
        }
        Path extracted = redist.extract();
        if (extracted != null) {
            return new Location(extracted, "the -Ptensorrt build's Maven redistributable");
        }
        for (String entry : ldLibraryPath == null ? new String[0] : ldLibraryPath.split(":")) {
            if (!entry.isBlank() && hasTensorRt(Path.of(entry))) {
                return new Location(Path.of(entry).toAbsolutePath(), "LD_LIBRARY_PATH");
            }
        }
        for (Path dir : systemDirs) {
            if (hasTensorRt(dir)) {
                return new Location(dir, "the system library directory " + dir);
            }
        }
        return null;
    }

    /**
     * What keeps a -Dgpuenergy.tensorrt.lib directory from showing TensorRT, when it is not that the files are missing:
     * a file named there (the library itself, say) or an unreadable directory reads as "no libnvinfer" otherwise.
     */
    private static String whatIsWrong(Path dir) {
        if (!Files.exists(dir)) {
            return " (no such directory)";
        }
        if (!Files.isDirectory(dir)) {
            return " (it is a file, not a directory)";
        }
        return Files.isReadable(dir) && Files.isExecutable(dir) ? "" : " (its files cannot be read: permission denied)";
    }

    /** The places {@link #find} looks in, for the line that says TensorRT was not found. */
    static List<String> lookedIn(String property, String ldLibraryPath) {
        List<String> places = new ArrayList<>();
        places.add("-D" + SuiteSetting.TENSORRT_LIB.property() + " (not set)");
        places.add("this jar's class path (no TensorRT redistributable: not a -Ptensorrt build)");
        places.add("LD_LIBRARY_PATH (" + (ldLibraryPath == null || ldLibraryPath.isBlank() ? "not set" : ldLibraryPath) + ")");
        for (Path dir : SYSTEM_DIRS) {
            places.add(dir.toString());
        }
        return places;
    }

    static boolean hasTensorRt(Path dir) {
        return Files.isRegularFile(dir.resolve(NVINFER)) && Files.isRegularFile(dir.resolve(ONNX_PARSER));
    }

    /** Extracts the -Ptensorrt build's TensorRT libraries; null when there are none on the class path. */
    @FunctionalInterface
    interface RedistSource {
        Path extract();
    }

    /**
     * The TensorRT libraries of the redistributable jar on the class path, extracted once into the user's cache
     * (named after the jar, so another version never reuses them); null when the class path has no such jar.
     */
    static Path redistOnClassPath() {
        URL url = TensorRtLibraries.class.getClassLoader().getResource(TENSORRT_RESOURCES + NVINFER);
        if (url == null) {
            return null;
        }
        try {
            if (!(url.openConnection() instanceof JarURLConnection connection)) {
                return null;
            }
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String name = Path.of(jar.getName()).getFileName().toString().replaceFirst("\\.jar$", "");
                Path dir = userCacheRoot().resolve(name);
                Map<String, Long> libraries = new LinkedHashMap<>();
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (n.startsWith(TENSORRT_RESOURCES) && n.contains(".so")) {
                        libraries.put(n, e.getSize());
                    }
                }
                for (Map.Entry<String, Long> lib : libraries.entrySet()) {
                    Path target = dir.resolve(lib.getKey().substring(TENSORRT_RESOURCES.length()));
                    if (!Files.isRegularFile(target) || Files.size(target) != lib.getValue()) {
                        System.out.println("# TensorRT: extracting " + target.getFileName() + " from " + jar.getName() + " (once)");
                        try (InputStream in = jar.getInputStream(jar.getJarEntry(lib.getKey()))) {
                            copyAtomically(in, target);
                        }
                    }
                }
                return dir;
            }
        } catch (IOException e) {
            throw NotRunException.unavailable("cannot extract TensorRT's libraries from " + url + " to " + userCacheRoot() + ": "
                    + e.getMessage());
        }
    }

    /** The bindings' JNI libraries, extracted from the class path into a directory named after their content. */
    static Path extractJni() {
        Map<String, byte[]> libraries = new LinkedHashMap<>();
        try {
            for (String resource : List.of(JAVACPP_RESOURCES + "libjnijavacpp.so", TENSORRT_RESOURCES + "libjninvinfer.so",
                    TENSORRT_RESOURCES + "libjninvonnxparser.so")) {
                try (InputStream in = TensorRtLibraries.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw NotRunException.unavailable("this build lacks " + resource + " (JavaCPP's TensorRT bindings for linux-x86_64); "
                                + "rebuild it with mvn package");
                    }
                    libraries.put(resource.substring(resource.lastIndexOf('/') + 1), in.readAllBytes());
                }
            }
            StringBuilder all = new StringBuilder();
            for (byte[] b : libraries.values()) {
                all.append(Sha256.of(b));
            }
            Path dir = userCacheRoot().resolve("javacpp-tensorrt-jni-" + Sha256.of(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12));
            for (Map.Entry<String, byte[]> lib : libraries.entrySet()) {
                Path target = dir.resolve(lib.getKey());
                if (!Files.isRegularFile(target) || Files.size(target) != lib.getValue().length) {
                    copyAtomically(new java.io.ByteArrayInputStream(lib.getValue()), target);
                }
            }
            return dir;
        } catch (IOException e) {
            throw NotRunException.unavailable("cannot extract the TensorRT bindings' JNI libraries to " + userCacheRoot() + ": " + e.getMessage());
        }
    }

    /** The temporary names {@link #copyAtomically} writes a library under: Files.createTempFile's, NAME&lt;digits&gt;.tmp. */
    private static final Pattern TEMPORARY = Pattern.compile(".+\\.so[.0-9]*?\\d+\\.tmp");

    /**
     * Writes {@code target} from {@code in} under a temporary name, moved into place when complete; first removes the
     * temporaries of extractions that were killed ({@link AtomicWrite#removeKilledWrites}: unchanged for an hour, so
     * never another process's extraction at work), each up to a library's size (hundreds of MB) under a name nothing
     * reads.
     */
    static void copyAtomically(InputStream in, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        AtomicWrite.removeKilledWrites(target.getParent(), f -> TEMPORARY.matcher(f.getFileName().toString()).matches(),
                (f, bytes) -> System.out.println("# TensorRT: removed " + f + " (" + (bytes >> 20) + " MiB), left by an extraction "
                        + "that was killed"));
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** $XDG_CACHE_HOME/gpuenergy, else ~/.cache/gpuenergy. */
    static Path userCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("gpuenergy").toAbsolutePath();
    }
}
