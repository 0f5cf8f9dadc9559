package gpuenergy.report;

import gpuenergy.options.Subcommand;
import gpuenergy.results.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model catalog (catalog.csv: name,timm_id,family,year,input_size,params_m,gmacs,top1,top1_source):
 * what the report needs from it is each model's GMACs per image and ImageNet top-1 accuracy.
 */
public final class Catalog {

    /** @param gmacs multiply-accumulates per image, in billions (NaN if not given); top1 in % (NaN if not given) */
    public record Entry(String name, double gmacs, double top1) {}

    private final Map<String, Entry> entries;
    private final String source;

    Catalog(Map<String, Entry> entries, String source) {
        this.entries = entries;
        this.source = source;
    }

    public static Catalog empty(String why) {
        return new Catalog(Map.of(), why);
    }

    public Entry get(String model) {
        return entries.get(model);
    }

    public String source() {
        return source;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public static Catalog read(Path file) throws BadInputException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such catalog file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read catalog (" + e.getMessage() + ")");
        }
    }

    /** The catalog packaged in benchmarks.jar, or an empty one saying it is absent. */
    public static Catalog bundled() throws BadInputException {
        InputStream in = Catalog.class.getResourceAsStream("/catalog.csv");
        if (in == null) {
            return empty("no catalog.csv in benchmarks.jar");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(r, "catalog.csv in benchmarks.jar");
        } catch (IOException e) {
            throw new BadInputException("catalog.csv in benchmarks.jar: cannot read (" + e.getMessage() + ")");
        }
    }

    static Catalog parse(Reader reader, String source) throws BadInputException, IOException {
        BufferedReader r = new BufferedReader(reader);
        String header = r.readLine();
        List<String> cols = header == null ? List.of() : Arrays.asList(header.trim().split(","));
        int name = cols.indexOf("name");
        int gmacs = cols.indexOf("gmacs");
        int top1 = cols.indexOf("top1");
        if (name < 0 || gmacs < 0 || top1 < 0) {
            throw new BadInputException(source + ": not a model catalog; expected a CSV header with name, gmacs and top1 columns");
        }
        Map<String, Entry> map = new HashMap<>();
        String line;
        int n = 1;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            // Plain CSV: the catalog has no quoted fields (top1_source is last and may hold commas: kept whole).
            String[] f = line.split(",", cols.size());
            if (f.length <= Math.max(name, Math.max(gmacs, top1))) {
                throw new BadInputException(source + ": line " + n + " has " + f.length + " fields, expected " + cols.size());
            }
            String model = f[name].trim();
            String row = source + ": line " + n + " (" + model + ")";
            if (model.isEmpty()) {
                throw new BadInputException(source + ": line " + n + " has no model name");
            }
            double g = number(f[gmacs], "gmacs", row);
            double t = number(f[top1], "top1", row);
            if (!Double.isNaN(g) && !(g > 0)) {
                throw new BadInputException(row + " has gmacs " + f[gmacs].trim() + ", expected a positive number or none");
            }
            if (!Double.isNaN(t) && !(t > 0 && t <= 100)) {
                throw new BadInputException(row + " has top1 " + f[top1].trim() + ", expected a percent (0..100] or none");
            }
            if (map.put(model, new Entry(model, g, t)) != null) {
                throw new BadInputException(row + ": " + model + " is listed twice; expected one row per model");
            }
        }
        return new Catalog(map, source);
    }

    /**
     * An empty field is unknown (NaN); anything else must be a finite decimal number ({@link Subcommand#decimal}: not
     * 3d or 0x1p1, which Java's parser takes). A minus sign is read here, for the caller's range check to refuse the
     * value as out of range.
     */
    private static double number(String s, String column, String row) throws BadInputException {
        String v = s.trim();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        boolean negative = v.startsWith("-");
        Double d = Subcommand.decimal(negative ? v.substring(1) : v);
        if (d != null && Double.isFinite(d)) {
            return negative ? -d : d;
        }
        throw new BadInputException(row + " has " + column + " '" + v + "', expected a number or an empty field");
    }
}
