package gpuenergy.engine.tensorrt;

import gpuenergy.engine.Artifact;
import gpuenergy.engine.EngineSession;
import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Releases;
import gpuenergy.profile.DeviceSpec;
import gpuenergy.profile.EnvironmentKeys;
import gpuenergy.results.IoMessage;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gpuenergy.engine.tensorrt.CudaDriverApi.cuMemcpyDtoHAsync_v2;
import static gpuenergy.engine.tensorrt.CudaDriverApi.cuStreamSynchronize;

/**
 * A TensorRT engine for one batch size with its input and output on the GPU, allocated once per trial. One batch is
 * {@code enqueueV3} on the trial's stream and a copy of the logits to (page-locked) host memory on that stream, then
 * a wait for the stream: the same contract as the PyTorch engines, whose blocking output copy waits for the kernels.
 *
 * <p>TensorRT's objects (runtime, engine, execution context) are not freed before the VM ends: JavaCPP's bindings
 * map no destructor for objects TensorRT creates, and each benchmark trial runs in its own forked VM. The stream and
 * buffers the execution context addresses are freed in {@link #close} all the same: no batch runs after it.
 */
final class TensorRtSession implements EngineSession {
    /** The same input for every run: the engine's speed does not depend on the values, only that they are not zeros. */
    static final long INPUT_SEED = 20261204L;
    private static final String ENQUEUE_FAILED = "TensorRT enqueueV3 failed";

    private final Map<String, String> environment = new LinkedHashMap<>();
    private final String summary;
    private final CudaDevice gpu;
    private IExecutionContext context;
    private long stream;
    private CUstream_st streamArgument;
    private long input;
    private long[] outputs = new long[0];
    private long hostLogits;
    private long logits;
    private long logitsBytes;
    private Thread contextThread;

    TensorRtSession(String engineName, Artifact artifact, int ordinal, int batch) {
        String prefix = "engine '" + engineName + "', batchSize " + batch + ": ";
        TensorRtLibraries libraries = TensorRtLibraries.load(engineName);
        gpu = CudaDevice.open(ordinal, engineName);
        contextThread = Thread.currentThread();
        try {
            long[] chw = artifact.inputShape();
            Path onnx = Path.of(artifact.location());
            NumericsGate.Reference reference = NumericsGate.read(artifact, chw, prefix);
            EngineBuilder.Options options = EngineBuilder.Options.fromSystemProperties();
            EngineCache cache = new EngineCache(EngineCache.defaultDir());
            EngineCache.Key key = new EngineCache.Key(artifact.sha256(), OnnxExternalData.sha256s(onnx, prefix), batch, chw, gpu.name,
                    gpu.computeCapability, gpu.multiprocessors, gpu.memoryBytes, libraries.version(), options.describe());
            String model = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");

            TrtLogger log = TrtLogger.INSTANCE;
            int runtimeMark = log.mark();
            IRuntime runtime = TrtFailure.created(nvinfer.createInferRuntime(log), prefix, "createInferRuntime", "a runtime",
                    log.errorsSince(runtimeMark));
            String cacheState = EnvironmentKeys.ENGINE_CACHE_HIT;
            EngineCache.Entry cached = null;
            try {
                cached = cache.read(key, model);
            } catch (EngineCache.Unusable e) {
                cacheState = "rebuilt (" + e.getMessage() + ")";
                System.out.println("# TensorRT: cached engine " + cache.file(key, model) + " not used: " + e.getMessage() + "; building it again");
            }
            int loadMark = log.mark();
            ICudaEngine engine = null;
            if (cached != null) {
                engine = deserialize(runtime, cached);
                cached = cached.withoutEngine(); // loaded or not, its bytes are not read again
            }
            List<String> loadErrors = log.errorsSince(loadMark);
            if (cached != null && engine == null && TrtFailure.outOfMemory(loadErrors)) {
                // the engine is sound and the GPU short of memory for its weights now (another process, earlier trials
                // of this JVM): a rebuild would not fit either, and one made under that shortage would replace it
                throw TrtFailure.of(prefix, "TensorRT cannot load the cached engine " + cached.file(), loadErrors);
            }
            if (cached != null && engine == null) {
                // an engine its key accepts and TensorRT does not: TensorRT's reason tells an engine of this version's
                // build for another CUDA, which the key cannot tell apart (TensorRtLibraries.version), from other faults
                String why = TrtFailure.cause(loadErrors);
                cacheState = "rebuilt (TensorRT " + libraries.version() + " could not deserialize the cached engine: " + why + ")";
                System.out.println("# TensorRT: cached engine " + cached.file() + " not used: TensorRT " + libraries.version()
                        + " could not deserialize it: " + why + "; building it again");
            }
            if (engine == null) {
                if (cached == null && cacheState.equals(EnvironmentKeys.ENGINE_CACHE_HIT)) {
                    cacheState = EnvironmentKeys.ENGINE_CACHE_MISS;
                }
                EngineCache.Obtained obtained;
                try {
                    obtained = cache.buildOnce(key, model, cached == null ? null : cached.sha256(),
                            () -> EngineBuildProcess.inChildProcess(libraries, onnx, key, ordinal, model, cache.dir(), prefix), System.out);
                } catch (EngineCache.Unusable e) {
                    throw NotRunException.error(prefix + "the engine just built in " + cache.file(key, model) + " is unusable: " + e.getMessage());
                } catch (InterruptedIOException e) {
                    throw NotRunException.error(prefix + e.getMessage()); // buildOnce's line: whose build it waited for, and JMH's -to
                } catch (IOException e) {
                    throw NotRunException.error(prefix + "the wait for another process's build of " + cache.file(key, model) + " ended: "
                            + IoMessage.describe(e));
                }
                cached = obtained.entry();
                if (cached == null) {
                    throw NotRunException.error(prefix + "the engine build wrote no " + cache.file(key, model));
                }
                if (!obtained.builtHere()) {
                    cacheState = obtained.waitedSeconds() > 0 ? String.format(Locale.ROOT, "%s after waiting %.1f s for another process's build",
                            EnvironmentKeys.ENGINE_CACHE_HIT, obtained.waitedSeconds()) : EnvironmentKeys.ENGINE_CACHE_HIT;
                }
                int mark = log.mark();
                engine = deserialize(runtime, cached);
                cached = cached.withoutEngine();
                if (engine == null) {
                    throw TrtFailure.of(prefix, "TensorRT cannot load the engine " + (obtained.builtHere() ? "it just built" : "another process just built"),
                            log.errorsSince(mark));
                }
            }
            double buildSeconds = cached.buildSeconds();
            Path engineFile = cached.file();

            int mark = log.mark();
            context = engine.createExecutionContext();
            if (context == null || context.isNull()) {
                throw TrtFailure.of(prefix, "TensorRT cannot create an execution context (its activation memory)", log.errorsSince(mark));
            }
            String inputName = null;
            String logitsName = null;
            int tensors = engine.getNbIOTensors();
            for (int i = 0; i < tensors; i++) {
                String name = engine.getIOTensorName(i);
                // enums compared by value: the instances JavaCPP returns are not the enum's constants
                boolean isInput = engine.getTensorIOMode(name).value == nvinfer.TensorIOMode.kINPUT.value;
                if (engine.getTensorDataType(name).value != nvinfer.DataType.kFLOAT.value) {
                    throw NotRunException.error(prefix + "tensor '" + name + "' of " + onnx + " is " + engine.getTensorDataType(name)
                            + "; the engine feeds and reads float32 (export the model in FP32; TensorRT picks FP16 inside)");
                }
                if (isInput) {
                    inputName = name;
                } else if (logitsName == null) {
                    logitsName = name;
                }
            }
            Dims64 inputShape = new Dims64().nbDims(4).d(0, batch).d(1, chw[0]).d(2, chw[1]).d(3, chw[2]);
            if (inputName == null || logitsName == null || !context.setInputShape(inputName, inputShape)) {
                throw NotRunException.error(prefix + onnx + " gives TensorRT no float32 input and output of the expected shapes");
            }
            long inputFloats = batch * chw[0] * chw[1] * chw[2];
            input = gpu.allocate(inputFloats * 4, "the input batch");
            outputs = new long[tensors];
            for (int i = 0; i < tensors; i++) {
                String name = engine.getIOTensorName(i);
                long address;
                if (name.equals(inputName)) {
                    address = input;
                } else {
                    long bytes = 4 * volume(context.getTensorShape(name));
                    address = gpu.allocate(bytes, "output '" + name + "'");
                    outputs[i] = address;
                    if (name.equals(logitsName)) {
                        logits = address;
                        logitsBytes = bytes;
                    }
                }
                context.setTensorAddress(name, new Address(address));
            }
            Dims64 logitsShape = context.getTensorShape(logitsName);
            stream = gpu.createStream();
            streamArgument = new CUstream_st(new Address(stream));
            hostLogits = gpu.allocateHost(logitsBytes);

            environment.put(EnvironmentKeys.DEVICE, DeviceSpec.gpu(ordinal).toString());
            environment.put(EnvironmentKeys.PRECISION, EnvironmentKeys.PRECISION_FP16);
            environment.put(EnvironmentKeys.INPUT_PRECISION, EnvironmentKeys.PRECISION_FP32);
            environment.put(EnvironmentKeys.TF32, EnvironmentKeys.TF32_ON);
            environment.put(EnvironmentKeys.RUNTIME, "TensorRT " + libraries.version() + " (JavaCPP bindings, CUDA driver API)");
            environment.put(EnvironmentKeys.TENSORRT_VERSION, libraries.version());
            environment.put(EnvironmentKeys.TENSORRT_LIBRARY, libraries.location().dir().resolve(TensorRtLibraries.NVINFER).toString());
            environment.put(EnvironmentKeys.TENSORRT_LIBRARY_SOURCE, libraries.location().how());
            environment.put(EnvironmentKeys.TENSORRT_BUILDER_FLAGS, "kFP16 (on the FP32 ONNX; TF32 for FP32 layers is TensorRT's default)");
            environment.put(EnvironmentKeys.TENSORRT_OPTIMIZATION_LEVEL, String.valueOf(options.optimizationLevel()));
            environment.put(EnvironmentKeys.ENGINE_CACHE, cacheState);
            environment.put(EnvironmentKeys.ENGINE_FILE, engineFile.toString());
            environment.put(EnvironmentKeys.ENGINE_SHA256, cached.sha256());
            environment.put(EnvironmentKeys.BUILD_SECONDS, String.format(Locale.ROOT, "%.1f", buildSeconds));
            environment.put(EnvironmentKeys.TENSORRT_DEVICE_MEMORY_BYTES, String.valueOf(engine.getDeviceMemorySizeV2()));
            environment.put(EnvironmentKeys.GPU_COMPUTE_CAPABILITY, gpu.computeCapability);
            environment.put(EnvironmentKeys.OUTPUT_SHAPE, "(" + logitsShape.d(0) + ", " + volume(logitsShape) / Math.max(1, logitsShape.d(0)) + ")");

            String gate;
            if (reference != null) {
                gpu.copyTiled(input, reference.images(), reference.imageCount(), chw[0] * chw[1] * chw[2], batch);
                firstBatch(prefix, log);
                float[] out = gpu.read(logits, (int) (logitsBytes / 4));
                int classes = (int) (logitsBytes / 4 / batch);
                if (classes != reference.classes()) {
                    throw NotRunException.error(prefix + "the engine gives " + classes + " classes but the numerics gate's reference has "
                            + reference.classes() + "; re-export the model");
                }
                NumericsGate.Outcome outcome = NumericsGate.compare(out, batch, reference.logits(), reference.imageCount(), classes);
                environment.put(EnvironmentKeys.TENSORRT_NUMERICS_RELATIVE_ERROR, String.format(Locale.ROOT, "%.3g", outcome.relativeError()));
                environment.put(EnvironmentKeys.TENSORRT_NUMERICS_TOP1_AGREEMENT, String.format(Locale.ROOT, "%.4f", outcome.top1Agreement()));
                environment.put(EnvironmentKeys.TENSORRT_NUMERICS_BOUND, String.valueOf(reference.bound()));
                environment.put(EnvironmentKeys.TENSORRT_NUMERICS_IMAGES, Math.min(batch, reference.imageCount()) + " reference images"
                        + (batch > reference.imageCount() ? ", repeated over the batch of " + batch : ""));
                NumericsGate.require(outcome, reference.bound(), prefix);
                gate = String.format(Locale.ROOT, "gate rel.err %.2e, top-1 %.3f", outcome.relativeError(), outcome.top1Agreement());
            } else { // NumericsGate.read refused it unless unchecked artifacts are allowed
                environment.put(EnvironmentKeys.TENSORRT_NUMERICS, "unchecked (no gate reference in the export record; -Dgpuenergy.allowUnchecked=true)");
                gate = "gate NOT RUN (no reference in the export record)";
            }
            gpu.fillRandom(input, inputFloats, INPUT_SEED);
            firstBatch(prefix, log); // the first enqueue on the random input: any lazy allocation happens here, not in an iteration
            summary = "TensorRT " + libraries.version() + " (" + libraries.location().how() + "); device gpu:" + ordinal + " " + gpu.name
                    + " (compute " + gpu.computeCapability + "), fp16 (kFP16), engine " + cacheState.split(" ")[0] + " (built in "
                    + String.format(Locale.ROOT, "%.1f", buildSeconds) + " s), " + gate;
        } catch (Throwable e) {
            // the failure is what the trial records; a close that fails too (a lost context, a full heap) is told
            // beside it, not in its place
            Releases.closeAfter(e, this::close);
            throw e;
        }
    }

    /**
     * A batch run in the setup, where TensorRT allocates lazily and CUDA loads kernels: a failed enqueue is told by
     * TensorRT's logged errors, did-not-fit where they say the device's memory ran out.
     */
    private void firstBatch(String prefix, TrtLogger log) {
        int mark = log.mark();
        try {
            runBatch();
        } catch (IllegalStateException e) {
            if (!e.getMessage().startsWith(ENQUEUE_FAILED)) {
                throw e;
            }
            throw TrtFailure.of(prefix, "TensorRT cannot run the first batch", log.errorsSince(mark));
        }
    }

    @Override
    public Object runBatch() {
        if (Thread.currentThread() != contextThread) {
            // the context is current per thread; TensorRT's runtime and the copy below use the current one
            gpu.makeCurrent();
            contextThread = Thread.currentThread();
        }
        if (!context.enqueueV3(streamArgument)) {
            throw new IllegalStateException(ENQUEUE_FAILED + " (see TensorRT's errors above)");
        }
        int rc = cuMemcpyDtoHAsync_v2(hostLogits, logits, logitsBytes, stream);
        if (rc == 0) {
            rc = cuStreamSynchronize(stream);
        }
        if (rc != 0) {
            throw new IllegalStateException("copying the logits to the host failed: " + CudaDriverApi.errorName(rc));
        }
        return streamArgument;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void close() {
        long[] device = new long[outputs.length + 1];
        device[0] = input;
        System.arraycopy(outputs, 0, device, 1, outputs.length);
        long heldStream = stream;
        long heldHost = hostLogits;
        // forgotten before the frees: a second close tries none of them again, the failed ones included
        stream = 0;
        hostLogits = 0;
        input = 0;
        outputs = new long[0];
        gpu.releaseAll(heldStream, heldHost, device);
    }

    /** The engine from its bytes, or null when TensorRT cannot deserialize them (another version, corrupt). */
    private static ICudaEngine deserialize(IRuntime runtime, EngineCache.Entry cached) {
        ICudaEngine engine = runtime.deserializeCudaEngine(new BytePointer(cached.engine()), cached.engine().remaining());
        return engine == null || engine.isNull() ? null : engine;
    }

    static long volume(Dims64 d) {
        long v = 1;
        for (int i = 0; i < d.nbDims(); i++) {
            v *= d.d(i);
        }
        return v;
    }

    /** A raw device or stream address handed to TensorRT's bindings. */
    static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }
}
