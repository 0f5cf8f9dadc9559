package gpuenergy.cli;

/** Entry point of benchmarks.jar: JMH's Main, with the first argument reserved for subcommands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
