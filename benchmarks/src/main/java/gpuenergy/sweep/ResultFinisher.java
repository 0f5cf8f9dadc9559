package gpuenergy.sweep;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Post-processes one finished JMH JSON result file in place, before the sweep publishes it under its
 * final name. The launcher connects this to the same enrichment a plain {@code java -jar benchmarks.jar}
 * run gets (the "environment" record), so sweep results and plain results have one format.
 */
@FunctionalInterface
public interface ResultFinisher {
    /** Leaves the file as JMH wrote it. */
    ResultFinisher NONE = jmhJson -> { };

    void finish(Path jmhJson) throws IOException;
}
