package gpuenergy.options;

/** An argument written so that a POSIX shell reads it back as that one argument: the commands a run records. */
public final class ShellWord {
    private ShellWord() {}

    /** The argument as it is where it has only characters a shell leaves alone; else in single quotes. */
    public static String of(String arg) {
        return !arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
