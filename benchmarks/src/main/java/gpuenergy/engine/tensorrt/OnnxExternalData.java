package gpuenergy.engine.tensorrt;

import gpuenergy.engine.NotRunException;
import gpuenergy.engine.Sha256;
import gpuenergy.results.IoMessage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files an ONNX model keeps tensor data in (ONNX's external data): a tensor whose data_location is EXTERNAL names,
 * in its external_data entry "location", a file relative to the model's directory that holds its bytes. Models over
 * protobuf's 2 GiB limit must keep their weights so (one file such as model.onnx.data, or one per tensor), smaller
 * ones may. TensorRT's parser reads these files, so an engine depends on their bytes as much as on the .onnx file's.
 *
 * <p>The model is read in protobuf's wire format, following only the messages that can hold a tensor (graphs, their
 * nodes' attributes and subgraphs, sparse initializers, functions, training graphs) and skipping the rest by length:
 * the class path has no protobuf library, and ONNX's field numbers (onnx/onnx.proto) are fixed once assigned.
 */
final class OnnxExternalData {
    /** protobuf's own default limit on message nesting. */
    private static final int MAX_DEPTH = 100;
    /** The longest external_data key or value read; see {@link #entry}. */
    private static final int LONGEST_ENTRY = 64 * 1024;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final long DATA_LOCATION_EXTERNAL = 1;

    /** The ONNX messages that can hold a tensor, directly or through those they hold. */
    private enum Message { MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR, SPARSE_TENSOR, FUNCTION, TRAINING_INFO }

    /** A file that is not an ONNX model in protobuf's wire format. */
    static final class NotOnnx extends IOException {
        private static final long serialVersionUID = 1L;

        NotOnnx(String why) {
            super(why);
        }
    }

    private OnnxExternalData() {}

    /**
     * Each external data file of {@code onnx} with the SHA-256 of its bytes, in the order of their locations; empty for
     * a model that keeps all its data inside.
     *
     * @throws NotRunException one line: a named file that is missing or unreadable, or a model that is not ONNX
     */
    static SortedMap<String, String> sha256s(Path onnx, String prefix) {
        SortedSet<String> locations;
        try {
            locations = locations(onnx);
        } catch (NotOnnx e) {
            throw NotRunException.error(prefix + onnx + " cannot be read as an ONNX model: " + e.getMessage());
        } catch (IOException e) {
            throw NotRunException.error(prefix + "cannot read model file " + onnx + ": " + IoMessage.reason(e));
        }
        SortedMap<String, String> sha256s = new TreeMap<>();
        Path dir = onnx.toAbsolutePath().getParent();
        for (String location : locations) {
            Path file = file(dir, location);
            if (file == null) {
                throw NotRunException.error(prefix + onnx + " keeps tensor data in the external file '" + location
                        + "', which is no file under the model's directory: TensorRT's ONNX parser refuses it");
            }
            try {
                sha256s.put(location, Sha256.of(file));
            } catch (NoSuchFileException e) {
                throw NotRunException.error(prefix + onnx + " keeps tensor data in the external file '" + location + "': " + file
                        + " does not exist");
            } catch (IOException e) {
                throw NotRunException.error(prefix + "cannot read " + file + ", external data of " + onnx + ": " + IoMessage.reason(e));
            }
        }
        return sha256s;
    }

    /**
     * The file TensorRT's ONNX parser reads for {@code location}: the location with its slashes collapsed, leading
     * ones too, taken under the model's directory, so that "/w.bin" is dir/w.bin there, not /w.bin; null for a location
     * that leaves the directory (the parser refuses one whose normalized path has "../") or is no path at all.
     */
    static Path file(Path dir, String location) {
        Path relative;
        try {
            relative = Path.of(location.replaceFirst("^/+", "")).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        return relative.startsWith("..") ? null : dir.resolve(relative);
    }

    /**
     * The locations {@code onnx}'s external tensors name, each once. The file is read through a window of
     * {@link Input#WINDOW} bytes, not whole: a model is up to 2 GiB, more than a Java array holds (2^31 - 1 bytes is
     * over the VM's limit on one) and more than the engine build's child VM has heap, and most of it is tensor data,
     * skipped by its length without being read.
     */
    static SortedSet<String> locations(Path onnx) throws IOException {
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new NotOnnx(size + " bytes, over protobuf's 2 GiB limit for one message");
            }
            SortedSet<String> locations = new TreeSet<>();
            read(new Input(ch, size), size, Message.MODEL, 0, locations);
            return locations;
        }
    }

    /**
     * The model file's bytes, read (not mapped) a window at a time at the position the parse asks for: a model cut
     * short in place while it is parsed (re-exported over it) would fault in a mapping, an InternalError past a trial's
     * catches; read, it ends early in one line ({@link EngineCache#readFully}).
     */
    private static final class Input {
        static final int WINDOW = 64 * 1024;

        private final FileChannel ch;
        private final long size;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private long windowStart;
        long position;

        /** {@code size}: the file's when it was opened; a file that ends before it while it is read is one line. */
        Input(FileChannel ch, long size) {
            this.ch = ch;
            this.size = size;
        }

        /** The byte at {@link #position}, which moves past it; {@code end} is where the message being read ends. */
        byte next(long end) throws IOException {
            if (position >= end) {
                throw new NotOnnx("truncated");
            }
            long offset = position - windowStart;
            if (offset < 0 || offset >= window.limit()) {
                windowStart = position;
                window = EngineCache.readFully(ch, position, (int) Math.min(WINDOW, size - position), false);
                offset = 0;
            }
            position++;
            return window.get((int) offset);
        }

        /** Moves past {@code bytes} bytes of a message that ends at {@code end}, without reading them. */
        void skip(long bytes, long end) throws NotOnnx {
            if (bytes > end - position) {
                throw new NotOnnx("truncated");
            }
            position += bytes;
        }
    }

    /** Reads one message of kind {@code kind}, up to {@code end}, adding the locations of the external tensors in it. */
    private static void read(Input in, long end, Message kind, int depth, SortedSet<String> into) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new NotOnnx("messages nested more than " + MAX_DEPTH + " deep");
        }
        String location = null;
        boolean external = false;
        while (in.position < end) {
            long tag = varint(in, end);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field <= 0) {
                throw new NotOnnx("field number " + field);
            }
            switch (wireType) {
                case 0 -> {
                    long value = varint(in, end);
                    if (kind == Message.TENSOR && field == TENSOR_DATA_LOCATION) {
                        external = value == DATA_LOCATION_EXTERNAL;
                    }
                }
                case 1 -> in.skip(8, end);
                case 5 -> in.skip(4, end);
                case 2 -> {
                    int length = length(in, end);
                    long bodyEnd = in.position + length;
                    if (kind == Message.TENSOR && field == TENSOR_EXTERNAL_DATA) {
                        String[] entry = entry(in, bodyEnd);
                        if ("location".equals(entry[0])) {
                            location = entry[1];
                        }
                    } else {
                        Message inner = inner(kind, field);
                        if (inner != null) {
                            read(in, bodyEnd, inner, depth + 1, into);
                        }
                    }
                    in.position = bodyEnd;
                }
                default -> throw new NotOnnx("wire type " + wireType + ", which ONNX does not use");
            }
        }
        // the location of a tensor whose data is inline (data_location DEFAULT) is no file TensorRT reads
        if (external && location != null) {
            into.add(location);
        }
    }

    /** The kind of message in field {@code field} of a {@code kind} message, when it can hold a tensor; null otherwise. */
    private static Message inner(Message kind, int field) {
        return switch (kind) {
            // graph, training_info, functions
            case MODEL -> field == 7 ? Message.GRAPH : field == 20 ? Message.TRAINING_INFO : field == 25 ? Message.FUNCTION : null;
            // node, initializer, sparse_initializer
            case GRAPH -> field == 1 ? Message.NODE : field == 5 ? Message.TENSOR : field == 15 ? Message.SPARSE_TENSOR : null;
            // attribute
            case NODE -> field == 5 ? Message.ATTRIBUTE : null;
            // t and tensors, g and graphs, sparse_tensor and sparse_tensors
            case ATTRIBUTE -> field == 5 || field == 10 ? Message.TENSOR : field == 6 || field == 11 ? Message.GRAPH
                    : field == 22 || field == 23 ? Message.SPARSE_TENSOR : null;
            // values, indices
            case SPARSE_TENSOR -> field == 1 || field == 2 ? Message.TENSOR : null;
            // node, attribute_proto
            case FUNCTION -> field == 7 ? Message.NODE : field == 11 ? Message.ATTRIBUTE : null;
            // initialization, algorithm
            case TRAINING_INFO -> field == 1 || field == 2 ? Message.GRAPH : null;
            case TENSOR -> null;
        };
    }

    /**
     * A StringStringEntryProto's key (field 1) and value (field 2), up to {@code end}. A string longer than
     * {@link #LONGEST_ENTRY} is skipped, left null: no file name is that long (Linux's PATH_MAX is 4096), so a location
     * of that length is no file TensorRT can open either.
     */
    private static String[] entry(Input in, long end) throws IOException {
        String[] kv = new String[2];
        while (in.position < end) {
            long tag = varint(in, end);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (wireType == 0) {
                varint(in, end);
                continue;
            }
            if (wireType != 2) {
                throw new NotOnnx("wire type " + wireType + " in an external_data entry");
            }
            int length = length(in, end);
            if ((field == 1 || field == 2) && length <= LONGEST_ENTRY) {
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = in.next(end);
                }
                kv[field - 1] = new String(bytes, StandardCharsets.UTF_8);
            } else {
                in.skip(length, end);
            }
        }
        return kv;
    }

    /** A length-delimited field's length, checked against what is left of its message, which ends at {@code end}. */
    private static int length(Input in, long end) throws IOException {
        long length = varint(in, end);
        if (length < 0 || length > end - in.position) {
            throw new NotOnnx("truncated (a field of " + length + " bytes where " + (end - in.position) + " are left)");
        }
        return (int) length;
    }

    private static long varint(Input in, long end) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte next = in.next(end);
            value |= (long) (next & 0x7f) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw new NotOnnx("a number over 10 bytes");
    }
}
