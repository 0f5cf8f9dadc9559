package gpuenergy.options;

import gpuenergy.results.BadInputException;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.options.WarmupMode;
import org.openjdk.jmh.util.Version;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhOptionsTest {
    @Test
    void jmhsOwnParserIsRead() throws Exception {
        assertTrue(JmhOptions.parserOf(new CommandLineOptions()).recognizedOptions().containsKey("prof"));
        assertTrue(JmhOptions.isJmhOption("jvmArgsAppend"));
        assertEquals(Version.getPlainVersion(), JmhOptions.JMH_VERSION, "the JMH the suite is built with");
    }

    /**
     * Every time unit the suite lists for -tu (the values its refusal names, JMH's own lists none) is one JMH's parser
     * takes: a JMH that changes its units fails here, not on a user's valid -tu.
     */
    @Test
    void everyListedTimeUnitIsOneJmhTakes() throws Exception {
        List<String> units = JmhOptions.choices().stream().filter(c -> c.option().equals("tu")).findFirst().orElseThrow()
                .accepted();
        assertFalse(units.isEmpty());
        for (String unit : units) {
            assertTrue(new CommandLineOptions("-tu", unit).getTimeUnit().hasValue(), "-tu " + unit);
        }
    }

    /**
     * The values JMH takes for its enum-valued options pass as JMH reads them (any case, a start of a benchmark mode's
     * name), and the first it does not take is one line naming the option, that value and the enum's values.
     */
    @Test
    void enumValuesAreCheckedAsJmhReadsThem() throws Exception {
        CommandLineOptions cmd = JmhOptions.parse(JmhOptions.read(List.of("-rf", "JSON", "-bm", "thr,avgt", "-v", "Extra",
                "-wm", "BULK_INDI")));
        assertEquals(ResultFormatType.JSON, cmd.getResultFormat().get());
        assertEquals(Set.of(Mode.Throughput, Mode.AverageTime), Set.copyOf(cmd.getBenchModes()));
        assertEquals(VerboseMode.EXTRA, cmd.verbosity().get());
        assertEquals(WarmupMode.BULK_INDI, cmd.getWarmupMode().get());
        assertEquals("-bm x: not a benchmark mode (thrpt, avgt, sample, ss, all)",
                assertThrows(BadInputException.class, () -> JmhOptions.parse(JmhOptions.read(List.of("-bm", "ss,x"))))
                        .getMessage());
        assertEquals(Set.of(Mode.Throughput), Set.copyOf(JmhOptions.parse(JmhOptions.read(List.of("-bm", "thrpt,"))).getBenchModes()),
                "an empty piece of a list is no value");
        assertEquals("-bm : not a benchmark mode (thrpt, avgt, sample, ss, all)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-bm", ""))), "JMH stops with a stack trace").getMessage());
        assertEquals("-wm bulk: not a warmup mode (INDI, BULK, BULK_INDI)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-rf", "csv", "-wm", "bulk")))).getMessage());
    }

    /**
     * A true/false option's value other than true or false (any case) is one line: JMH reads it with Boolean.valueOf,
     * as false, and would run without what -gc yes or -foe on asks for.
     */
    @Test
    void aTrueOrFalseOptionTakesOnlyTrueOrFalse() throws Exception {
        for (String option : List.of("gc", "si", "foe")) {
            for (String value : List.of("yes", "maybe", "1")) {
                assertEquals("-" + option + " " + value + " is not accepted; accepted: true or false",
                        assertThrows(BadInputException.class, () -> JmhOptions.parse(JmhOptions.read(List.of("-" + option,
                                value)))).getMessage());
            }
            // -foe "$FOE" with FOE unset: said as any option given empty, not as a value not shown
            for (String value : List.of("", " ")) {
                assertEquals("-" + option + " is given empty: give a value", assertThrows(BadInputException.class,
                        () -> JmhOptions.parse(JmhOptions.read(List.of("-" + option, value)))).getMessage());
            }
        }
        CommandLineOptions cmd = JmhOptions.parse(JmhOptions.read(List.of("-gc", "TRUE", "-si", "false", "-foe=True")));
        assertTrue(cmd.shouldDoGC().get());
        assertFalse(cmd.shouldSyncIterations().get());
        assertTrue(cmd.shouldFailOnError().get());
    }

    /**
     * An option JMH takes once, given twice, is the line a subcommand's option gives, naming the values, where JMH says
     * "Found multiple arguments for option wi, but you asked for only one"; one JMH takes several times passes.
     */
    @Test
    void anOptionJmhTakesOnceIsRefusedWhenRepeated() throws Exception {
        assertEquals("-wi is given 2 times (0, 1): give it once", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-wi", "0", "-i", "1", "-wi", "1")))).getMessage());
        assertEquals("-f is given 3 times (1, 1, 2): give it once", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-f", "1", "-f=1", "-f", "2")))).getMessage());
        assertEquals("JMH option: Cannot parse argument 'x' of option i", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-i", "1", "-i", "x")))).getMessage(),
                "a value JMH does not take is said as such");
        assertEquals(2, JmhOptions.parse(JmhOptions.read(List.of("-prof", "gc", "-prof", "stack"))).getProfilers().size());
    }

    /**
     * A time of 0 for -r or -w is one line: JMH takes it and runs single-shot iterations under the throughput mode's
     * name, a result no reader takes.
     */
    @Test
    void anIterationTimeOfZeroIsRefused() throws Exception {
        assertEquals("-r 0: an iteration needs a time above 0 (such as 1s or 100ms)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-r", "0")))).getMessage());
        assertEquals("-w 0: an iteration needs a time above 0 (such as 1s or 100ms)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-wi", "1", "-w", "0ms")))).getMessage());
        assertEquals(1, JmhOptions.parse(JmhOptions.read(List.of("-r", "1ms"))).getMeasurementTime().get().getTime());
    }

    /**
     * A timeout of 0 is the line a time of 0 for -r gives: JMH takes it with a warning among its lines and the run exits
     * 0; the timeouts its examples name pass.
     */
    @Test
    void aTimeoutOfZeroIsRefused() throws Exception {
        for (String zero : List.of("0", "0s", "0ms")) {
            assertEquals("-to 0: the timeout needs a time above 0 (such as 10min or 30s)", assertThrows(
                    BadInputException.class, () -> JmhOptions.parse(JmhOptions.read(List.of("-to", zero)))).getMessage());
        }
        assertEquals(600, JmhOptions.parse(JmhOptions.read(List.of("-to", "10min"))).getTimeout().get().convertTo(
                java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(30, JmhOptions.parse(JmhOptions.read(List.of("-to=30s"))).getTimeout().get().getTime());
    }

    /**
     * An empty or blank value of a VM-argument option is the line a subcommand's option given empty gives: JMH takes it
     * for no argument, and the run goes on as if it were not given. A value with words passes, split as JMH splits it.
     */
    @Test
    void anEmptyVmArgumentIsRefused() throws Exception {
        for (String option : List.of("jvmArgs", "jvmArgsAppend", "jvmArgsPrepend")) {
            for (List<String> args : List.of(List.of("-" + option, ""), List.of("-" + option, " "),
                    List.of("-" + option, "-Xmx1g", "-" + option + "="))) {
                assertEquals("-" + option + " is given empty: give a value", assertThrows(BadInputException.class,
                        () -> JmhOptions.parse(JmhOptions.read(args)), String.valueOf(args)).getMessage());
            }
        }
        CommandLineOptions cmd = JmhOptions.parse(JmhOptions.read(List.of("-jvmArgs", " -Xmx1g  -Da=b ",
                "-jvmArgsAppend", "-Dc=d")));
        assertEquals(List.of("-Xmx1g", "-Da=b"), List.copyOf(cmd.getJvmArgs().get()));
        assertEquals(List.of("-Dc=d"), List.copyOf(cmd.getJvmArgsAppend().get()));
    }

    /**
     * -opi and -bs other than 1 are one line: a call of the suite's benchmark runs one batch, and JMH would count it as N
     * operations (-opi) or N calls as one (-bs), putting every img/s and J/img N times off with exit 0.
     */
    @Test
    void operationsPerCallOtherThanOneAreRefused() throws Exception {
        assertEquals("-opi 4: a call of the benchmark runs one batch, which img/s and J/img count; -opi would count one "
                + "batch as 4 (leave -opi out)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-opi", "4")))).getMessage());
        assertEquals("-bs 2: a call of the benchmark runs one batch, which img/s and J/img count; -bs would count 2 "
                + "batches as one (leave -bs out)", assertThrows(BadInputException.class,
                () -> JmhOptions.parse(JmhOptions.read(List.of("-bm", "ss", "-bs", "2")))).getMessage());
        assertEquals(1, JmhOptions.parse(JmhOptions.read(List.of("-opi", "1", "-bs", "1", "-wbs", "3")))
                .getOperationsPerInvocation().get());
    }

    /** Where the JMH on the classpath keeps no parser where JMH 1.37 does: one line naming why and the JMH needed. */
    @Test
    void noParserToReadIsOneLineNamingTheJmhTheSuiteNeeds() {
        JmhOptions.UnsupportedJmhException none = assertThrows(JmhOptions.UnsupportedJmhException.class,
                () -> JmhOptions.parserOf(new Object()));
        assertEquals("JMH's options cannot be read: java.lang.Object keeps no jopt-simple parser in a field 'parser' "
                + "(NoSuchFieldException: parser); this suite needs JMH 1.37 (found JMH 1.37)", none.getMessage());

        JmhOptions.UnsupportedJmhException other = assertThrows(JmhOptions.UnsupportedJmhException.class,
                () -> JmhOptions.parserOf(new AnotherParser()));
        assertTrue(other.getMessage().startsWith("JMH's options cannot be read: " + AnotherParser.class.getName()
                + " keeps no jopt-simple parser in a field 'parser' (ClassCastException: "), other.getMessage());
        assertTrue(other.getMessage().endsWith("; this suite needs JMH 1.37 (found JMH 1.37)"), other.getMessage());
        assertEquals(1, other.getMessage().lines().count());
    }

    /** A parser of another kind in a field of that name. */
    private static final class AnotherParser {
        @SuppressWarnings("unused")
        private final Object parser = "not jopt-simple's";
    }
}
