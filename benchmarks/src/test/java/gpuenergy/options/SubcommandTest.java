package gpuenergy.options;

import gpuenergy.results.BadInputException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubcommandTest {
    private final OptionParser parser = Subcommand.parser();
    private final OptionSpec<String> out = parser.accepts("out", "where it goes").withRequiredArg().describedAs("DIR");
    private final OptionSpec<String> hidden = parser.accepts("internal").withRequiredArg();
    private final OptionSpec<Void> strict = parser.accepts("strict", "a flag");
    private final OptionSpec<String> files = parser.nonOptions("FILE...");

    private String refused(String... args) {
        return assertThrows(BadInputException.class, () -> Subcommand.parse(parser, "usage: x", args)).getMessage();
    }

    @Test
    void badOptionsAreOneLineWithTheUsage() {
        assertEquals("unknown option --fast; usage: x", refused("a", "--fast"));
        assertEquals("--out needs a value; usage: x", refused("a", "--out"));
        assertEquals("unknown option --ou; usage: x", refused("--ou", "d"), "options are spelled out in full");
        // jopt-simple reads -zzz as the short options -z -z -z and names only the first
        assertEquals("unknown option -zzz; usage: x", refused("a", "-zzz"));
        assertEquals("unknown option -hq; usage: x", refused("-hq"), "-h is an option, q is not");
        assertEquals("unknown option --fast=1; usage: x", refused("--out", "-zzz", "--fast=1"), "-zzz is --out's value");
    }

    /** A setting as -h lists it, given after -jar (java -jar benchmarks.jar -Dgpuenergy.energy=off): where it goes. */
    @Test
    void aSystemPropertyAfterTheJarIsToldToGoBeforeIt() {
        assertEquals("unknown option -Dgpuenergy.energy=off: a -D setting is java's, given before -jar: java "
                + "-Dgpuenergy.energy=off -jar benchmarks.jar ...; usage: x",
                refused("a", "-Dgpuenergy.energy=off"));
        assertEquals("unknown option -D; usage: x", refused("-D"));
    }

    @Test
    void optionsMayStandBetweenTheArguments() throws Exception {
        OptionSet set = Subcommand.parse(parser, null, "a", "--out", "d1", "b");
        assertEquals("d1", Subcommand.once(set, out));
        assertEquals(List.of("a", "b"), set.valuesOf(files));
        assertNull(Subcommand.once(set, hidden));
        assertFalse(Subcommand.helpAsked(set));
        assertTrue(Subcommand.helpAsked(Subcommand.parse(parser, null, "-h")));
        assertTrue(Subcommand.helpAsked(Subcommand.parse(parser, null, "--help")));
    }

    @Test
    void anOptionTakenOnceIsRefusedWhenRepeated() throws Exception {
        assertEquals("d1", Subcommand.once(Subcommand.parse(parser, null, "--out", "d1"), out));
        assertNull(Subcommand.once(Subcommand.parse(parser, null, "a"), out));
        assertEquals("--out is given 2 times (d1, d2): give it once", assertThrows(BadInputException.class,
                () -> Subcommand.once(Subcommand.parse(parser, null, "--out", "d1", "--out=d2"), out)).getMessage());
    }

    /** A flag given twice is refused as an option with a value is, wherever the second stands. */
    @Test
    void aFlagIsRefusedWhenRepeated() throws Exception {
        assertTrue(Subcommand.flag(Subcommand.parse(parser, null, "a", "--strict"), strict));
        assertFalse(Subcommand.flag(Subcommand.parse(parser, null, "a"), strict));
        assertEquals("--strict is given 2 times: give it once", assertThrows(BadInputException.class,
                () -> Subcommand.flag(Subcommand.parse(parser, null, "--strict", "a", "--out", "d", "--strict"), strict))
                .getMessage());
    }

    /**
     * A flag given a value (--strict=no) is refused, not taken for the flag with its value dropped, which would do what
     * the value says not to; an argument that is another option's value is that value.
     */
    @Test
    void aFlagGivenAValueIsRefused() throws Exception {
        assertEquals("--strict=no: --strict takes no value; give --strict alone, or leave it out; usage: x",
                refused("a", "--strict=no"));
        assertEquals("--help=false: --help takes no value; give --help alone, or leave it out; usage: x",
                refused("--help=false"));
        assertEquals("--strict=", Subcommand.once(Subcommand.parse(parser, null, "--out", "--strict=", "a"), out));
        assertFalse(Subcommand.flag(Subcommand.parse(parser, null, "a", "--", "--strict=no"), strict));
        assertTrue(Subcommand.flag(Subcommand.parse(parser, null, "--out=d", "--strict"), strict));
    }

    /** An empty value (an unset shell variable: --out "$DIR") is refused, not taken for the working directory. */
    @Test
    void anEmptyValueIsRefused() {
        for (String[] args : List.of(new String[] {"--out", ""}, new String[] {"--out=", "a"}, new String[] {"--out", " "})) {
            assertEquals("--out is given empty: give a value", assertThrows(BadInputException.class,
                    () -> Subcommand.once(Subcommand.parse(parser, null, args), out)).getMessage(), List.of(args).toString());
        }
    }

    /** An empty argument (compare "$BASE" new.json with BASE unset) is refused, not read as the working directory. */
    @Test
    void anEmptyArgumentIsRefused() throws Exception {
        for (String[] args : List.of(new String[] {"", "b"}, new String[] {"a", " ", "--strict"})) {
            assertEquals("an argument is given empty: give a value; usage: x", refused(args), List.of(args).toString());
        }
        assertEquals(List.of("a", "b"), Subcommand.parse(parser, null, "a", "--out", "", "b").valuesOf(files),
                "an option's empty value is its own to refuse");
    }

    @Test
    void helpListsTheDescribedOptionsAndTheNotes() {
        String help = Subcommand.help("usage: x", parser, "  a note");
        assertTrue(help.startsWith("usage: x\n  -h, --help"), help);
        assertTrue(help.contains("  --out DIR  ") && help.contains("where it goes"), help);
        assertFalse(help.contains("internal"), help);
        assertTrue(help.endsWith("  a note"), help);
    }
    /**
     * A percentage is shown as given: 7 % is not 7.000000000000001 % (0.07 x 100 in floating point), nor 99.99 % 100 %
     * or 2.999 % 3.00 % (a fixed precision), the figures the overhead table's header and compare's lines read.
     */
    @Test
    void aPercentageIsShownAsGiven() throws Exception {
        Map<String, String> atOneDigit = Map.of("7%", "7", "57%", "57", "0.5%", "0.5", "0.07%", "0.07", "1%", "1", "14%", "14");
        atOneDigit.forEach((given, shown) -> assertEquals(shown, Subcommand.percentShown(percent(given), 1), given));
        Map<String, String> atThree = Map.of("3%", "3.00", "0.5%", "0.500", "10%", "10.0", "99.99%", "99.99",
                "2.999%", "2.999", "0%", "0.00", "7%", "7.00");
        atThree.forEach((given, shown) -> assertEquals(shown, Subcommand.percentShown(percent(given), 3), given));
    }

    private static double percent(String given) {
        try {
            return Subcommand.percent(given, "--p", 100, 0);
        } catch (BadInputException e) {
            throw new AssertionError(e);
        }
    }
}
