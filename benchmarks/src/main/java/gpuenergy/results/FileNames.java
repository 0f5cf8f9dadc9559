package gpuenergy.results;

/** A name from the results (a model, an engine, a GPU's UUID) as part of a file's name. */
public final class FileNames {
    private FileNames() {}

    /**
     * {@code name} with every character but letters, digits, '.', '_' and '-' as '_', and ".." as "__": a parameter is any
     * text, and a '/' in it must not make a path, nor a quote end an HTML attribute that names the file.
     */
    public static String part(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_").replace("..", "__");
    }
}
