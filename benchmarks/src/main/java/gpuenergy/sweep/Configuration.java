package gpuenergy.sweep;

/** One point of a sweep: a model and an engine at one batch size. */
record Configuration(String model, String engine, int batch) {

    /** "model / engine batch N", as the sweep's lines name it. */
    @Override
    public String toString() {
        return model + " / " + engine + " batch " + batch;
    }

    /**
     * Its result file's name: {@code <model>-<engine>-b<batch>.json}, characters unsafe in file names as '_', and a
     * leading '.' too: a model given by a relative path (./m.pt, ../m.pt) would otherwise name a hidden file, which
     * ls and a shell's {@code DIR/*.json} leave out.
     */
    String resultName() {
        String name = safe(model) + "-" + safe(engine) + "-b" + batch + ".json";
        return name.startsWith(".") ? "_" + name.substring(1) : name;
    }

    /** The same model and engine at another batch size. */
    Configuration at(int otherBatch) {
        return new Configuration(model, engine, otherBatch);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._+=-]", "_");
    }
}
