package gpuenergy.results;

/**
 * The parameters a result entry's {@code params} object names: the @Param fields of
 * {@code gpuenergy.bench.InferenceBenchmark}, which JMH names by their field names. Every writer and reader of result
 * files, sweeps and not-run lists names them through these constants; a test holds them equal to the benchmark's
 * fields, since an annotation cannot name a field by a constant.
 */
public final class ParamNames {
    private ParamNames() {}

    /** A model name, model file or URL. */
    public static final String MODEL = "model";
    /** An engine name, gpuenergy.engine.Engines. */
    public static final String ENGINE = "engine";
    /** Images per operation; a benchmark without it counts one image per operation. */
    public static final String BATCH_SIZE = "batchSize";
    /** The device asked for: auto, cpu, gpu, gpu:N. */
    public static final String DEVICE = "device";
}
