package gpuenergy.cli;

import java.io.RandomAccessFile;
import java.nio.channels.FileLock;

/** Holds JMH's lock file (args[0]) as another JMH run would, until its standard input closes. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(args[0], "rw"); FileLock lock = raf.getChannel().lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input or ends
            }
        }
    }
}
