package gpuenergy.options;

import gpuenergy.profile.DeviceSpec;
import gpuenergy.results.BadInputException;
import gpuenergy.results.ParamNames;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The -p NAME=V1,V2 option of a plain run and of the subcommands that run one benchmark (sweep, overhead), read as JMH
 * reads it: each parameter's values, and the refusal of a parameter the benchmark does not have. {@code model=catalog}
 * stands for every model of the catalog shipped in the jar. Which values a parameter takes is each command's own rule.
 */
public final class ParamOption {
    private ParamOption() {}

    /** The model value that stands for every model of the jar's catalog.csv, in its order. */
    private static final String CATALOG = "catalog";

    /**
     * The values of {@code given} (each a -p option's NAME=V1,V2) by parameter name, in the order first given, each value
     * stripped. A name given in several -p options has the values of all, and a value given twice is there once: each
     * command runs a value once (twice would be one result file and two rows). Bad input: no NAME=, an empty value, or
     * one device under two names (device=gpu,gpu:0: {@link DeviceSpec#refuseOneDeviceTwice}).
     */
    public static Map<String, List<String>> parse(List<String> given) throws BadInputException {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String kv : given) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("-p " + kv + ": expected NAME=VALUE[,VALUE...], e.g. -p model=resnet50,efficientnet_b0");
            }
            Set<String> named = values.computeIfAbsent(kv.substring(0, eq), name -> new LinkedHashSet<>());
            for (String value : kv.substring(eq + 1).split(",", -1)) {
                if (value.isBlank()) {
                    throw new BadInputException("-p " + kv + ": empty value; give NAME=VALUE[,VALUE...]");
                }
                if (kv.substring(0, eq).equals(ParamNames.MODEL) && value.strip().equals(CATALOG)) {
                    if (catalogNames().isEmpty()) {
                        throw new BadInputException("-p " + kv + ": catalog.csv is not in this jar");
                    }
                    named.addAll(catalogNames());
                } else {
                    named.add(value.strip());
                }
            }
        }
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        values.forEach((name, v) -> parsed.put(name, List.copyOf(v)));
        try {
            DeviceSpec.refuseOneDeviceTwice(parsed.getOrDefault(ParamNames.DEVICE, List.of()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return parsed;
    }

    /** Model names of the catalog shipped in the jar (catalog.csv, first column), in its order; none when it has none. */
    public static List<String> catalogNames() {
        List<String> names = new ArrayList<>();
        try (InputStream in = ParamOption.class.getResourceAsStream("/catalog.csv")) {
            if (in != null) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                r.readLine(); // header
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        names.add(line.substring(0, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')).strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Refuses -p NAME=VALUES where {@code benchmark} has no parameter NAME, in one line naming those it has: JMH would
     * run without it, unseen.
     */
    public static void refuseUndeclared(BenchmarkListEntry benchmark, String name, List<String> values)
            throws BadInputException {
        Set<String> declared = new TreeSet<>(benchmark.getParams().orElse(Map.of()).keySet());
        if (!declared.contains(name)) {
            throw new BadInputException("-p " + name + "=" + String.join(",", values) + ": " + benchmark.getUsername()
                    + " has no parameter " + name + "; its parameters: " + String.join(", ", declared));
        }
    }
}
