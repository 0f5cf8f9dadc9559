package gpuenergy.engine.tensorrt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import gpuenergy.engine.NotRunException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** ONNX files on ONNX Runtime's CPU provider: what their input is, and a copy with a fixed batch size. */
final class OnnxFiles {
    private OnnxFiles() {}

    /** The input of an ONNX image classifier: name, shape (-1 for a dynamic axis) and the axes' symbolic names. */
    record Input(String name, long[] shape, String[] dimensionNames) {
        boolean dynamicBatch() {
            return shape[0] < 0;
        }
    }

    /** ONNX Runtime's environment, created by DJL's OnnxRuntime engine first (it sets the global thread pools once). */
    static OrtEnvironment environment() {
        try {
            Engine.getEngine("OnnxRuntime");
        } catch (RuntimeException | LinkageError e) {
            throw NotRunException.unavailable("cannot load ONNX Runtime through DJL: " + NotRunException.firstLine(e));
        }
        return OrtEnvironment.getEnvironment();
    }

    /** A local .onnx file; URLs are not accepted (ONNX Runtime and TensorRT read files). */
    static Path localFile(String location, String engine) {
        if (location.contains("://")) {
            throw NotRunException.error("engine '" + engine + "' loads a local .onnx file, not a URL: " + location);
        }
        Path file = Path.of(location).toAbsolutePath().normalize();
        if (!file.getFileName().toString().endsWith(".onnx") || !Files.isRegularFile(file)) {
            throw NotRunException.error("engine '" + engine + "' needs an .onnx file (tools/export_models.py writes "
                    + "models/<name>/<name>.onnx); got " + file);
        }
        return file;
    }

    /** Reads the single image input with an unoptimized CPU session (a fraction of a second, outside any measurement). */
    static Input input(Path onnx) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = environment().createSession(onnx.toString(), options)) {
                List<NodeInfo> inputs = List.copyOf(session.getInputInfo().values());
                if (inputs.size() != 1 || !(inputs.get(0).getInfo() instanceof TensorInfo info) || info.getShape().length != 4) {
                    throw NotRunException.error("ONNX model " + onnx + " has inputs " + session.getInputInfo().values()
                            + "; accepted: one NCHW image tensor, as tools/export_models.py exports");
                }
                return new Input(inputs.get(0).getName(), info.getShape(), info.getDimensionNames());
            }
        } catch (OrtException e) {
            throw NotRunException.error("cannot read ONNX model " + onnx + ": " + NotRunException.firstLine(e));
        }
    }

    /**
     * A copy of {@code onnx} whose batch axis is fixed to {@code batch}, for builders without optimization profiles.
     * ONNX Runtime does the rewrite: the free-dimension override fixes the axis, and the session saves the graph it
     * loaded (basic optimizations only: constant folding and fusions into standard ONNX operators).
     */
    static Path fixedBatch(Path onnx, Input input, long batch, Path out) {
        if (!input.dynamicBatch()) {
            if (input.shape()[0] != batch) {
                throw NotRunException.error("ONNX model " + onnx + " has a fixed batch size of " + input.shape()[0]
                        + ", not " + batch + "; export it with a dynamic batch axis (tools/export_models.py does)");
            }
            return onnx;
        }
        String axis = input.dimensionNames()[0];
        if (axis == null || axis.isEmpty()) {
            throw NotRunException.error("ONNX model " + onnx + " has an unnamed dynamic batch axis; re-export it with "
                    + "dynamic_axes={'input': {0: 'batch'}} (tools/export_models.py does)");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            Files.createDirectories(out.getParent());
            options.setSymbolicDimensionValue(axis, batch);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            options.setOptimizedModelFilePath(out.toString());
            environment().createSession(onnx.toString(), options).close();
            return out;
        } catch (OrtException e) {
            throw NotRunException.error("cannot fix the batch axis of " + onnx + " to " + batch + ": " + NotRunException.firstLine(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where TensorRT's engines for this file are cached: -Dgpuenergy.trt.cache=DIR, else {@code trt-cache/<runtime>}
     * beside the file. {@code runtime} names what invalidates an engine (ONNX Runtime and TensorRT versions), so an
     * upgrade builds fresh engines instead of loading stale ones.
     */
    static Path cacheDir(Path onnx, String runtime) {
        String dir = System.getProperty("gpuenergy.trt.cache");
        Path root = dir == null || dir.isBlank() ? onnx.resolveSibling("trt-cache") : Path.of(dir).toAbsolutePath();
        return root.resolve(runtime.replaceAll("[^\\w.+-]", "_"));
    }

    /** Random input in [0, 1) in host memory, float32: ONNX Runtime's Java API takes host tensors. */
    static NDArray randomFloat32(NDManager manager, Shape shape) {
        int n = Math.toIntExact(shape.size());
        FloatBuffer data = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < n; i++) {
            data.put((float) random.nextDouble());
        }
        data.rewind();
        return manager.create(data, shape);
    }

    /**
     * The file a native library was loaded from, e.g. {@code libnvinfer.so.10.9.0}: the first path in
     * /proc/self/maps whose file name starts with {@code prefix}, or null.
     */
    static String loadedLibrary(List<String> mapsLines, String prefix) {
        for (String line : mapsLines) {
            int slash = line.lastIndexOf('/');
            if (slash >= 0 && line.startsWith(prefix, slash + 1)) {
                return line.substring(slash + 1).strip();
            }
        }
        return null;
    }

    static String loadedLibrary(String prefix) {
        try {
            return loadedLibrary(Files.readAllLines(Path.of("/proc/self/maps")), prefix);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }
}
