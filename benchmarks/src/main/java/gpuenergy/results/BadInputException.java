package gpuenergy.results;

/** Input a command cannot use. The message is the one line shown to the user: it names the bad value. */
public final class BadInputException extends Exception {
    public BadInputException(String oneLine) {
        super(oneLine, null, false, false);
    }
}
