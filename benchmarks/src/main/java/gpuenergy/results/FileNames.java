package gpuenergy.results;

import java.io.IOException;
import java.nio.file.Path;

/** A name from the results (a model, an engine, a GPU's UUID) as part of a file's name, and a path as one file. */
public final class FileNames {
    private FileNames() {}

    /**
     * {@code name} with every character but letters, digits, '.', '_' and '-' as '_', ".." as "__", and a leading '.' as
     * '_' ({@link #visible}): a parameter is any text, and a '/' in it must not make a path, nor a quote end an HTML
     * attribute that names the file, nor a model given as ./m.onnx name a hidden file.
     */
    public static String part(String name) {
        return visible(name.replaceAll("[^A-Za-z0-9._-]", "_").replace("..", "__"));
    }

    /**
     * {@code fileName} with a leading '.' as '_': a file whose name starts with '.' is hidden, and ls, a shell's
     * {@code DIR/*.json} and {@code cp DIR/*} leave it out. A name from the results starts so where a model is given by a
     * relative path (./m.pt, ../m.pt).
     */
    public static String visible(String fileName) {
        return fileName.startsWith(".") ? "_" + fileName.substring(1) : fileName;
    }

    /**
     * A path's real path (links resolved) where it exists, else its absolute normalized path: what tells two spellings of
     * one directory or file apart from two of them.
     */
    public static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
