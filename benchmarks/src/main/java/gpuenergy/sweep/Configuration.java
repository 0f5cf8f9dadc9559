package gpuenergy.sweep;

import gpuenergy.results.SweepResults;

/** One point of a sweep: a model and an engine at one batch size. */
record Configuration(String model, String engine, int batch) {

    /** "model / engine batch N", as the sweep's lines name it. */
    @Override
    public String toString() {
        return model + " / " + engine + " batch " + batch;
    }

    /** Its result file's name ({@link SweepResults#resultName}). */
    String resultName() {
        return SweepResults.resultName(model, engine, batch);
    }

    /** The same model and engine at another batch size. */
    Configuration at(int otherBatch) {
        return new Configuration(model, engine, otherBatch);
    }
}
