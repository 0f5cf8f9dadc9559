package gpuenergy.host;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Linux threads are the Java threads of a name: the JVM's thread dump gives each Java thread's full name beside its
 * native id ({@code nid}). Linux's own thread names cannot tell: they keep 15 characters, and a native thread that a
 * Java thread starts (a runtime's worker pool, a GPU driver's) inherits its name.
 */
public final class JavaThreads {
    private JavaThreads() {}

    /** A thread's header line: its quoted name, then the fields, among them nid (hexadecimal up to JDK 18, decimal after). */
    private static final Pattern HEADER = Pattern.compile("^\"(.*)\"\\s.*?\\bnid=(0x[0-9a-fA-F]+|[0-9]+)\\b");

    /** The native ids, in the dump's order, of the Java threads in {@code threadDump} whose name starts with {@code prefix}. */
    public static List<Integer> nativeIds(String threadDump, String prefix) {
        List<Integer> ids = new ArrayList<>();
        for (String line : threadDump.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (m.find() && m.group(1).startsWith(prefix)) {
                String nid = m.group(2);
                ids.add(nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid));
            }
        }
        return ids;
    }

    /**
     * This JVM's thread dump, as {@code jcmd PID Thread.print} prints it (the DiagnosticCommand MBean): a safepoint, tens
     * of milliseconds the first time.
     *
     * @throws JMException where the JVM has no such MBean (a runtime without the jdk.management module)
     */
    public static String dump() throws JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
