package gpuenergy.sweep;

import gpuenergy.results.FileNames;

/** One point of a sweep: a model and an engine at one batch size. */
record Configuration(String model, String engine, int batch) {

    /** "model / engine batch N", as the sweep's lines name it. */
    @Override
    public String toString() {
        return model + " / " + engine + " batch " + batch;
    }

    /**
     * Its result file's name: {@code <model>-<engine>-b<batch>.json}, characters unsafe in file names as '_', never
     * hidden ({@link FileNames#visible}: a model given by a relative path, ./m.pt or ../m.pt, starts with '.').
     */
    String resultName() {
        return FileNames.visible(safe(model) + "-" + safe(engine) + "-b" + batch + ".json");
    }

    /** The same model and engine at another batch size. */
    Configuration at(int otherBatch) {
        return new Configuration(model, engine, otherBatch);
    }

    /**
     * Its own character set rather than {@link FileNames#part}'s ('+' and '=' kept, ".." not mapped): sweep directories
     * hold results under these names, and --resume finds a configuration's result by its name.
     */
    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._+=-]", "_");
    }
}
